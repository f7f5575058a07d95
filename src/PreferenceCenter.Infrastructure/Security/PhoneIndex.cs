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

    public string KeyOf(string phoneE164)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.GetOrCreate(KeyName), Encoding.UTF8.GetBytes(phoneE164)));
    }
}
