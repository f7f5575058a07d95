using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// Server-side secret keys. Taken from configuration (<c>Secrets:&lt;name&gt;</c>, base64) when set; otherwise a random
/// key is generated once into the data folder, so Development needs no setup and the repo holds no secret.
/// </summary>
public sealed class KeyStore(IConfiguration configuration, IOptions<StorageOptions> storage)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _cache = new(StringComparer.Ordinal);

    public byte[] GetOrCreate(string name)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(name, out var cached))
            {
                return cached;
            }

            var key = FromConfiguration(name) ?? FromFile(name);
            _cache[name] = key;
            return key;
        }
    }

    /// <summary>A new key: 32 random bytes, or for the checkpoint signing key an ECDSA P-256 private key (PKCS#8).</summary>
    private static byte[] Generate(string name)
    {
        if (name == Ledger.LedgerSigningKeys.KeyName)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return ecdsa.ExportPkcs8PrivateKey();
        }

        return RandomNumberGenerator.GetBytes(32);
    }

    private byte[]? FromConfiguration(string name)
    {
        var value = configuration[$"Secrets:{name}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var bytes = Convert.FromBase64String(value);
        return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"Secrets:{name} must be at least 32 bytes (base64).");
    }

    private byte[] FromFile(string name)
    {
        var folder = Path.Combine(storage.Value.ResolveDataFolder(), "keys");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = Generate(name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; theirs wins.
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        return key;
    }
}
