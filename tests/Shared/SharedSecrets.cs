using System.Security.Cryptography;

namespace PreferenceCenter.Testing;

/// <summary>
/// What every instance on one database must agree on besides the database (ADR 19): the keys that hash codes and
/// phone numbers and sign checkpoints. Given as configuration, as in production, so no instance generates its own
/// (an instance with other keys refuses to start).
/// </summary>
public static class SharedSecrets
{
    public static Dictionary<string, string?> Create() => new()
    {
        ["Secrets:verification-code"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Secrets:phone-index"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Secrets:ledger-checkpoint"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Secrets:ledger-signing-key"] = Convert.ToBase64String(NewSigningKey()),
    };

    /// <summary>An ECDSA P-256 private key (PKCS#8), the form <c>Secrets:ledger-signing-key</c> takes.</summary>
    public static byte[] NewSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }
}
