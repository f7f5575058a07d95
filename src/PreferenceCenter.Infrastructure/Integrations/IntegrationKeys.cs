using System.Buffers.Text;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Integrations;

public sealed record IntegrationCreated(Integration Integration, string Key);

public sealed class IntegrationKeyOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// How long a verified key is trusted from memory (0: ask the database every time). A revocation applies at once on
    /// the instance that made it and within this time on the others (ADR 14).
    /// </summary>
    [Range(0, 300)]
    public int KeyCacheSeconds { get; set; } = 30;
}

/// <summary>
/// Integrations and their API keys: <c>pc_&lt;prefix&gt;_&lt;secret&gt;</c>, stored as a SHA-256 hash and found by prefix.
/// Verified keys are remembered briefly by that hash, so the check before every text does not read the key table.
/// </summary>
public sealed class IntegrationKeys(IDbContextFactory<PreferenceCenterDbContext> dbFactory, TimeProvider clock, IOptions<IntegrationKeyOptions> options)
{
    private readonly ConcurrentDictionary<string, (Integration Integration, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);
    private long _revocations;

    public async Task<IntegrationCreated> CreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = $"pc_{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var integration = Integration.Create(name, scopes, prefix, Hash(key), clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(cancellationToken);
        return new IntegrationCreated(integration, key);
    }

    public async Task<IReadOnlyList<Integration>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Integrations.AsNoTracking().OrderBy(i => i.Name).ToListAsync(cancellationToken);
    }

    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var integration = await db.Integrations.FirstAsync(i => i.Id == id, cancellationToken);
        integration.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        Interlocked.Increment(ref _revocations);
        Forget(id);
    }

    /// <summary>The active integration the key belongs to, or null (unknown, malformed or revoked).</summary>
    public async Task<Integration?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        var parts = key?.Split('_', 3);
        if (parts is not ["pc", { Length: 12 } prefix, { Length: > 0 }])
        {
            return null;
        }

        // Found by the hash of the whole key, so only a key that matched in full can hit the cache.
        var hash = Hash(key!);
        var now = clock.GetUtcNow();
        if (_verified.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Integration;
        }

        var revocations = Interlocked.Read(ref _revocations);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var integration = await db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.KeyPrefix == prefix, cancellationToken);
        var matches = integration is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(integration.KeyHash), Encoding.ASCII.GetBytes(hash));
        if (!matches || integration!.RevokedAt is not null)
        {
            _verified.TryRemove(hash, out _);
            return null;
        }

        if (options.Value.KeyCacheSeconds > 0)
        {
            _verified[hash] = (integration, now.AddSeconds(options.Value.KeyCacheSeconds));

            // A revocation that raced this read may have missed the entry: then it must not stay.
            if (Interlocked.Read(ref _revocations) != revocations)
            {
                _verified.TryRemove(hash, out _);
            }
        }

        return integration;
    }

    /// <summary>Drops a revoked integration's keys from memory: the next call with them goes to the database.</summary>
    private void Forget(Guid integrationId)
    {
        foreach (var entry in _verified.Where(e => e.Value.Integration.Id == integrationId))
        {
            _verified.TryRemove(entry.Key, out _);
        }
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
