extern alias web;

using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PreferenceCenter.Benchmarks.Api;

/// <summary>
/// The real app (Program, Production settings) on Kestrel on a loopback port with its own SQLite file, plus one
/// benchmark-only endpoint, <see cref="ConstantPath"/>, mapped into the same route table and pipeline.
/// </summary>
public sealed class BenchmarkAppServer : WebApplicationFactory<web::Program>
{
    public const string ConstantPath = "/benchmark/constant";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "preferencecenter-benchmarks", "api", Guid.NewGuid().ToString("N"));

    public BenchmarkAppServer()
    {
        Directory.CreateDirectory(_folder);
        var port = FreePort();
        UseKestrel(port);
        StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");

        // WebApplicationFactory reads its manifest from the working directory; a benchmark runs from the repository root.
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json")))!;
        builder.UseContentRoot(manifest[typeof(web::Program).Assembly.FullName!]);
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = _folder,
            ["ConnectionStrings:PreferenceCenter"] = $"Data Source={Path.Combine(_folder, "preferencecenter.db")}",
            ["Phone:DefaultRegion"] = "GB",

            // The per-key limiter still runs on every request; it just never says no during a run.
            ["Api:RequestsPerMinute"] = "1000000000",

            // What a production start requires (ADR 26); nothing is texted during a run.
            ["Secrets:phone-index"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:verification-code"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:ledger-checkpoint"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Secrets:ledger-signing-key"] = SigningKey(),
            ["Sms:PublicBaseUrl"] = "https://prefs.example",
            ["Sms:Provider"] = "Twilio",
            ["Sms:Twilio:AccountSid"] = "AC" + new string('0', 32),
            ["Sms:Twilio:AuthToken"] = "benchmark-only",
            ["Sms:Twilio:DefaultFromE164"] = "+15005550006",
            ["Sms:Twilio:BaseUrl"] = "http://127.0.0.1:9",
        }));

        // Read while services are registered, before the configuration above is applied: host settings.
        builder.UseSetting("DataProtection:CertificatePath", KeyRingCertificate());
        builder.UseSetting("DataProtection:CertificatePassword", "benchmark-only");

        // Log lines are formatted as for any sink (every API call is logged), then dropped instead of written to the console.
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new DiscardingLoggerProvider()));
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ConstantEndpoint>());
    }

    private static string SigningKey()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    private string KeyRingCertificate()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=PreferenceCenter benchmark key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "benchmark-only"));
        return path;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>Adds the constant endpoint to the app's own route table once Program has built its pipeline.</summary>
    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class ConstantEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);

            // The route builder the app's (implicit) UseRouting matches against; endpoints are read at the first request.
            var routes = app.Properties.TryGetValue("__EndpointRouteBuilder", out var value) && value is IEndpointRouteBuilder builder
                ? builder
                : throw new InvalidOperationException("The app's endpoint route builder was not found: ASP.NET Core changed how WebApplication exposes it.");
            routes.MapGet(ConstantPath, () => Results.Text("ok"));
        };
    }

    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger();

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    GC.KeepAlive(formatter(state, exception));
                }
            }
        }
    }
}
