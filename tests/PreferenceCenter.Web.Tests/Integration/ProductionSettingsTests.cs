using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Outside Development the app refuses to start with settings only a developer's machine should have (ADR 26).</summary>
public sealed class ProductionSettingsTests
{
    [Theory]
    [InlineData("Secrets:phone-index", null, "Secrets:phone-index is not set")]
    [InlineData("Secrets:verification-code", null, "Secrets:verification-code is not set")]
    [InlineData("Secrets:ledger-checkpoint", "c2hvcnQ=", "Secrets:ledger-checkpoint must be base64 of at least 32 random bytes")]
    [InlineData("Sms:Provider", "Outbox", "Sms:Provider is 'Outbox'")]
    [InlineData("Sms:Provider", null, "Sms:Provider is 'Outbox'")]
    [InlineData("DataProtection:CertificatePath", null, "DataProtection:CertificatePath is not set")]
    [InlineData("DataProtection:CertificatePath", "/nonexistent/key-ring.pfx", "DataProtection:CertificatePath names a file that does not exist")]
    [InlineData("DataProtection:CertificatePassword", "wrong", "DataProtection:CertificatePassword is wrong")]
    [InlineData("Sms:PublicBaseUrl", null, "Sms:PublicBaseUrl (or ConsentTexts:PreferencesUrl) is not an https address")]
    [InlineData("Sms:PublicBaseUrl", "http://prefs.example", "Sms:PublicBaseUrl (or ConsentTexts:PreferencesUrl) is not an https address")]
    public async Task ProductionStart_IsRefusedNamingTheKey_WhenOneSettingIsUnsafe(string key, string? value, string expected)
    {
        await using var app = new PreferenceCenterAppFactory("Production", new Dictionary<string, string?> { [key] = value, ["Sms:Provider"] = key == "Sms:Provider" ? value ?? string.Empty : "Twilio" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(app.DataFolder, "keys")), "no key is generated before the refusal");
    }

    [Fact]
    public async Task ProductionStart_NamesEveryUnsafeKeyInOneMessage_WhenNothingIsConfigured()
    {
        await using var app = new PreferenceCenterAppFactory("Production", new Dictionary<string, string?>
        {
            ["Secrets:phone-index"] = null,
            ["Secrets:verification-code"] = null,
            ["Secrets:ledger-checkpoint"] = null,
            ["Sms:Provider"] = "Outbox",
            ["DataProtection:CertificatePath"] = null,
        });

        var message = Assert.ThrowsAny<Exception>(() => app.CreateClient()).ToString();

        foreach (var key in new[] { "Secrets:phone-index", "Secrets:verification-code", "Secrets:ledger-checkpoint", "Sms:Provider", "DataProtection:CertificatePath" })
        {
            Assert.Contains(key, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ProductionStart_Serves_AndEncryptsTheKeyRingAtRest_WhenEverySettingIsGood()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ProductionSettingsTests").Protect("a secret");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        var ring = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
        Assert.NotEmpty(ring);
        Assert.All(ring, xml => Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(app.DataFolder, "keys")), "no server key is generated in Production");
    }

    [Fact]
    public async Task DevelopmentStart_KeepsItsConveniences_WhenNothingIsConfigured()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(Directory.Exists(Path.Combine(app.DataFolder, "keys")), "Development generates its keys into the data folder");
    }

    [Fact]
    public async Task ProductionProcess_ExitsNonZeroBeforeListening_NamingTheKey_WhenSmsProviderIsOutbox()
    {
        using var data = new PreferenceCenter.Testing.TempDataFolder("production-settings");
        var settings = ProductionTestSettings.Create();
        settings["Sms:Provider"] = "Outbox";
        foreach (var (key, value) in data.Settings)
        {
            settings[key] = value;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PreferenceCenter.Web.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web executable.");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var all = await output + await errors;
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Sms:Provider is 'Outbox'", all, StringComparison.Ordinal);
        Assert.DoesNotContain("is running at", all, StringComparison.Ordinal);
    }
}
