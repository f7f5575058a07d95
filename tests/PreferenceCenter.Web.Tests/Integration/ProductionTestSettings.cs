using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// What a production start requires (ADR 26), for tests that run the app outside Development: server keys, a real
/// SMS provider (Twilio, pointed at a closed local port: nothing is ever sent) and a certificate for the Data
/// Protection key ring. One certificate per test run, so two instances of one test share their key ring.
/// </summary>
internal static class ProductionTestSettings
{
    public const string CertificatePassword = "test-only-certificate-password";

    private static readonly Lazy<string> Certificate = new(CreateCertificate);

    public static string CertificatePath => Certificate.Value;

    public static Dictionary<string, string?> Create()
    {
        var settings = SharedSecrets.Create();
        settings["Sms:Provider"] = "Twilio";
        settings["Sms:Twilio:AccountSid"] = "AC" + new string('0', 32);
        settings["Sms:Twilio:AuthToken"] = "test-only-auth-token";
        settings["Sms:Twilio:DefaultFromE164"] = "+15005550006";
        settings["Sms:Twilio:BaseUrl"] = "http://127.0.0.1:9";
        settings["Sms:PublicBaseUrl"] = "https://prefs.example";
        settings["DataProtection:CertificatePath"] = CertificatePath;
        settings["DataProtection:CertificatePassword"] = CertificatePassword;
        return settings;
    }

    private static string CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PreferenceCenter tests key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var folder = Path.Combine(Path.GetTempPath(), "preferencecenter-tests", "key-ring-certificate");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Environment.ProcessId}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }
}
