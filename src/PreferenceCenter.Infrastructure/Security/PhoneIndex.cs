using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// A keyed hash of a phone number: lets a suppression outlive the erasure of the number it suppresses. Anyone with
/// the key can test a given number, nobody can list numbers from it (docs/decisions/0009).
/// </summary>
public sealed class PhoneIndex(KeyStore keys)
{
    public const string KeyName = "phone-index";

    // This runs before every text: the key is read once, and each thread keeps an HMAC already keyed with it
    // (a one-shot HMAC sets the key up again every time, which costs more than hashing a phone number).
    [ThreadStatic]
    private static (byte[] Key, IncrementalHash Hmac)? t_hmac;

    private byte[]? _key;

    public string KeyOf(string phoneE164)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        var key = _key ??= keys.GetOrCreate(KeyName);
        if (t_hmac is not { } keyed || !ReferenceEquals(keyed.Key, key))
        {
            t_hmac?.Hmac.Dispose();
            keyed = (key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
            t_hmac = keyed;
        }

        Span<byte> hash = stackalloc byte[32];
        keyed.Hmac.AppendData(Encoding.UTF8.GetBytes(phoneE164));
        keyed.Hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }
}
