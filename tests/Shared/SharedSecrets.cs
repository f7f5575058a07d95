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
    };
}
