using System.Net;
using System.Text.RegularExpressions;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.LoadTest;

/// <summary>
/// A PreferenceCenter database with N customers, each with a verified number (made with the app's own services and
/// migrations) and a manage link as a text would carry it, and their sign-ins through that link's page (ADR 22).
/// </summary>
internal static partial class CustomerSite
{
    /// <summary>
    /// The app's configuration for a data folder: the same for seeding and for the server process, which runs in
    /// Production and so needs what a production start requires (ADR 26). Twilio points at a closed local port:
    /// nothing is ever sent.
    /// </summary>
    public static Dictionary<string, string?> Settings(string dataFolder, string provider, string? connection)
    {
        var settings = PreferenceCenter.Testing.SharedSecrets.Create();
        settings["Storage:DataFolder"] = dataFolder;
        settings["Database:Provider"] = provider;
        settings["ConnectionStrings:PreferenceCenter"] = connection ?? $"Data Source={Path.Combine(dataFolder, "preferencecenter.db")}";
        settings["Sms:Provider"] = "Twilio";
        settings["Sms:Twilio:AccountSid"] = "AC" + new string('0', 32);
        settings["Sms:Twilio:AuthToken"] = "load-test-auth-token";
        settings["Sms:Twilio:DefaultFromE164"] = "+15005550006";
        settings["Sms:Twilio:BaseUrl"] = "http://127.0.0.1:9";
        settings["Sms:PublicBaseUrl"] = "https://load.example";
        settings["DataProtection:CertificatePath"] = KeyRingCertificate(dataFolder);
        settings["DataProtection:CertificatePassword"] = CertificatePassword;
        return settings;
    }

    private const string CertificatePassword = "load-test-certificate-password";

    private static string KeyRingCertificate(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var path = Path.Combine(dataFolder, "key-ring.pfx");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=PreferenceCenter load test", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, CertificatePassword));
        return path;
    }

    public static async Task<ServiceProvider> OpenAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPreferenceCenterInfrastructure(configuration).BuildServiceProvider();
        await services.MigrateDatabaseAsync();
        return services;
    }

    /// <summary>Adds customers <paramref name="from"/>..<paramref name="to"/>-1 (emails and numbers derived from the index).</summary>
    public static async Task SeedAsync(IServiceProvider services, int from, int to)
    {
        var directory = services.GetRequiredService<ICustomerDirectory>();
        var now = DateTimeOffset.UtcNow;
        var factory = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PreferenceCenterDbContext>>();
        for (var start = from; start < to; start += 100)
        {
            var users = Enumerable.Range(start, Math.Min(100, to - start)).Select(i => new ApplicationUser
            {
                UserName = Email(i),
                NormalizedUserName = Email(i).ToUpperInvariant(),
                Email = Email(i),
                NormalizedEmail = Email(i).ToUpperInvariant(),
                EmailConfirmed = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
            }).ToList();
            await using (var db = await factory.CreateDbContextAsync())
            {
                db.Users.AddRange(users);
                await db.SaveChangesAsync();
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                for (var k = 0; k < users.Count; k++)
                {
                    var customer = await directory.GetOrCreateForUserAsync(users[k].Id);
                    db.CustomerPhones.Add(CustomerPhone.Verified(customer, Phone(start + k), now));
                    db.SignInLinks.Add(SignInLink.Issue(SignInLinkKind.InText, TokenHash(start + k), Phone(start + k), customer, now, TimeSpan.FromDays(1)));
                }

                await db.SaveChangesAsync();
            }
        }
    }

    public static string Email(int i) => $"load-{i:00000}@example.test";

    public static string Phone(int i) => $"+4477009{i:00000}";

    /// <summary>Customer <paramref name="i"/>'s manage link token: derived from the index, so seeding and signing in agree.</summary>
    public static string Token(int i) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes($"preferencecenter-load-{i}")).AsSpan(0, 16));

    private static byte[] TokenHash(int i) => SHA256.HashData(Encoding.ASCII.GetBytes(Token(i)));

    /// <summary>Opens the customer's manage link and presses its button (antiforgery token and all); the cookies end up in the container.</summary>
    public static async Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(string baseUrl, int i, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var link = new Uri($"/m/{Token(i)}", UriKind.Relative);
        var form = await http.GetStringAsync(link, cancellationToken);
        var fields = HiddenInputs().Matches(form).DistinctBy(m => m.Groups["name"].Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(link, content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("signin=failed", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in of customer {i} answered {(int)response.StatusCode} {response.Headers.Location}.");
        }

        return (http, cookies);
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}
