using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// What a database remembers of the server keys it was set up with: a fingerprint per key (an HMAC of a fixed
/// label, which says nothing about the key). Every start compares the keys it has with them.
/// </summary>
public sealed class KeyFingerprint
{
    public string Name { get; private init; } = string.Empty;

    public string Fingerprint { get; private init; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private init; }

    public static KeyFingerprint Create(string name, string fingerprint, DateTimeOffset at) =>
        new() { Name = name, Fingerprint = fingerprint, RecordedAt = at.ToUniversalTime() };
}

/// <summary>
/// Refuses to start with server keys other than the ones the database was set up with. A second instance without
/// the same <c>Secrets:*</c>, or a data folder whose generated keys were lost, would otherwise run on quietly: STOP
/// lookups by the phone index would miss (texting people who said STOP), codes sent by one instance would fail on
/// another, and checkpoints would no longer verify.
/// </summary>
public static class KeyFingerprints
{
    /// <summary>Every key <see cref="KeyStore"/> hands out.</summary>
    public static readonly IReadOnlyList<string> Names = [PhoneIndex.KeyName, Verification.VerificationCodes.KeyName, Ledger.LedgerCheckpointer.KeyName];

    public static async Task EnsureSameKeysAsync(PreferenceCenterDbContext db, KeyStore keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(clock);
        var mine = Names.ToDictionary(n => n, n => Of(n, keys.GetOrCreate(n)), StringComparer.Ordinal);
        var recorded = await db.KeyFingerprints.AsNoTracking().ToDictionaryAsync(f => f.Name, f => f.Fingerprint, StringComparer.Ordinal, cancellationToken);
        var missing = mine.Keys.Where(n => !recorded.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            db.KeyFingerprints.AddRange(missing.Select(n => KeyFingerprint.Create(n, mine[n], clock.GetUtcNow())));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance starting at the same moment recorded first: compare with what it recorded.
                db.ChangeTracker.Clear();
            }

            recorded = await db.KeyFingerprints.AsNoTracking().ToDictionaryAsync(f => f.Name, f => f.Fingerprint, StringComparer.Ordinal, cancellationToken);
        }

        var differing = mine.Where(k => recorded.TryGetValue(k.Key, out var theirs) && theirs != k.Value).Select(k => $"Secrets:{k.Key}").ToList();
        if (differing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", differing)} {(differing.Count == 1 ? "is not the key" : "are not the keys")} this database was set up with. " +
                "Every instance on one database needs the same Secrets:* values (docs/deploy/README.md); restore the original keys rather than starting with new ones.");
        }
    }

    private static string Of(string name, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"PreferenceCenter key fingerprint v1: {name}")));
}
