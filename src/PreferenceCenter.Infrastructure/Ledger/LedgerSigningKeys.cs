using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Ledger;

/// <summary>
/// The ECDSA P-256 key that signs checkpoints (ADR 37) and the public keys a verifier may meet. The private key is
/// <c>Secrets:ledger-signing-key</c> (base64 PKCS#8) from configuration or user secrets, else generated once into the
/// data folder like the other keys. Rotation: configure a new private key and list the old public key under
/// <c>Ledger:RetiredSigningKeys:N</c> (<c>PublicKey</c> as base64 SPKI, <c>ValidFrom</c>, <c>ValidUntil</c>), so it
/// stays published and the checkpoints it signed still verify.
/// </summary>
public sealed class LedgerSigningKeys(KeyStore keys, IConfiguration configuration)
{
    public const string KeyName = "ledger-signing-key";

    public const string DefaultOrigin = "preferencecenter.example/consent-ledger";

    private readonly Lazy<ECDsa> _current = new(() => Import(keys.GetOrCreate(KeyName)));

    /// <summary>The log's origin line, also the signature's key name (<c>Ledger:Origin</c>).</summary>
    public string Origin => configuration["Ledger:Origin"] is { Length: > 0 } origin ? origin : DefaultOrigin;

    public ECDsa Current => _current.Value;

    public LedgerPublicKey CurrentPublic => LedgerPublicKey.Of(Origin, Current, Instant(configuration["Ledger:SigningKeyValidFrom"]));

    /// <summary>The current key and every retired one, newest first: what <c>/.well-known/consent-ledger-keys</c> lists.</summary>
    public IReadOnlyList<LedgerPublicKey> Published
    {
        get
        {
            var retired = configuration.GetSection("Ledger:RetiredSigningKeys").GetChildren()
                .Where(s => !string.IsNullOrWhiteSpace(s["PublicKey"]))
                .Select(s => new LedgerPublicKey(s["Name"] is { Length: > 0 } name ? name : Origin, Convert.FromBase64String(s["PublicKey"]!), Instant(s["ValidFrom"]), Instant(s["ValidUntil"])))
                .OrderByDescending(k => k.ValidUntil);
            return [CurrentPublic, .. retired];
        }
    }

    private static DateTimeOffset? Instant(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static ECDsa Import(byte[] pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new InvalidOperationException($"Secrets:{KeyName} must be an ECDSA P-256 private key, PKCS#8 DER in base64 (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER | base64 -w0).", ex);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"Secrets:{KeyName} must be a P-256 key.");
        }

        return key;
    }
}

/// <summary>What checkpoints are verified with: the old shared HMAC key (checkpoints before ADR 37) and the published public keys.</summary>
public sealed record CheckpointKeys(byte[] Hmac, IReadOnlyList<LedgerPublicKey> Public);
