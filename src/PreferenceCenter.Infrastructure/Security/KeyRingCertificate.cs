using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest (<c>DataProtection:CertificatePath</c>, a PFX
/// with its private key, and <c>DataProtection:CertificatePassword</c>). The ring sits in the database: without it,
/// whoever reads a backup could forge sign-in cookies and open the embed and webhook secrets. Loaded once when the
/// services are registered; a problem is kept, not thrown, so start-up can name it with the other unsafe settings.
/// </summary>
public sealed class KeyRingCertificate
{
    public const string PathKey = "DataProtection:CertificatePath";
    public const string PasswordKey = "DataProtection:CertificatePassword";

    private KeyRingCertificate(X509Certificate2? certificate, string? problem)
    {
        Certificate = certificate;
        Problem = problem;
    }

    /// <summary>The certificate, when one is configured and usable.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Why a configured certificate cannot be used (not found, wrong password, no private key).</summary>
    public string? Problem { get; }

    public static KeyRingCertificate Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[PathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            return new KeyRingCertificate(null, null);
        }

        if (!File.Exists(path))
        {
            return new KeyRingCertificate(null, $"{PathKey} names a file that does not exist ({path}).");
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[PasswordKey], X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
            {
                certificate.Dispose();
                return new KeyRingCertificate(null, $"{PathKey} must be a PFX holding an RSA certificate with its private key.");
            }

            return new KeyRingCertificate(certificate, null);
        }
        catch (CryptographicException)
        {
            return new KeyRingCertificate(null, $"{PathKey} could not be opened: not a PFX file, or {PasswordKey} is wrong.");
        }
    }
}
