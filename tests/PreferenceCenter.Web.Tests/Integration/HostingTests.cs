using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Hosting;

namespace PreferenceCenter.Web.Tests.Integration;

public sealed class HostingTests
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task RootDevelopmentSettings_AreRead_WhenEnvironmentIsDevelopment()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient();

        // src/PreferenceCenter.Web/appsettings.json says US; only the repository's appsettings.Development.json says GB.
        Assert.Equal("GB", app.Services.GetRequiredService<IOptions<PhoneOptions>>().Value.DefaultRegion);
    }

    [Fact]
    public async Task RootDevelopmentSettings_AreIgnored_OutsideDevelopment()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient();
        Assert.Equal("US", app.Services.GetRequiredService<IOptions<PhoneOptions>>().Value.DefaultRegion);
    }

    [Fact]
    public void RuntimeConfig_RunsServerGcWithAHeapPerCore_WhenTheAppIsStarted()
    {
        // What `dotnet PreferenceCenter.Web.dll` starts with (ADR 21): the circuit load test's p95 depends on it.
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PreferenceCenter.Web.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
    }

    [Fact]
    public async Task StartUp_AppliesMigrations_ToTheConfiguredFile()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("web-it", db.Database.GetDbConnection().DataSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_RendersWithSecurityHeaders()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        response.EnsureSuccessStatusCode();
        Assert.Contains("Your texts, your choice", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains("img-src 'self' data:", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("base-uri 'self'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.Contains("frame-ancestors 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=()", response.Headers.GetValues("Permissions-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kestrel_SendsNoServerHeader()
    {
        // Real Kestrel on a free port: the test server has no Server header of its own to prove anything.
        await using var app = new PreferenceCenterAppFactory("Production");
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.False(response.Headers.Contains("Server"), string.Join(",", response.Headers.Select(h => h.Key)));
    }

    [Fact]
    public async Task Hsts_LastsAtLeastAYear_OutsideDevelopment()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient(new() { BaseAddress = new Uri("https://preferences.example/") });

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AntiforgeryCookie_IsSecure_WhenTheProxySaysTheRequestWasHttps()
    {
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/Account/Login", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await client.SendAsync(request);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PreferencesPage_OpensWithoutTheStaffSignIn_WhenAnonymous()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient(NoRedirects);
        using var response = await client.GetAsync(new Uri("/preferences", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // The phone sign-in itself renders interactively; CustomerJourneyTests drives it in a browser.
        Assert.DoesNotContain("type=\"password\"", page, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.NotFound)]
    public async Task DevSmsOutbox_ExistsOnlyInDevelopment(string environment, HttpStatusCode expected)
    {
        await using var app = new PreferenceCenterAppFactory(environment);
        using var client = app.CreateClient(NoRedirects);
        using var response = await client.GetAsync(new Uri("/dev/sms", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected == HttpStatusCode.OK, body.Contains("Development SMS outbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoginPost_IsRejectedAndSavesNothing_WhenAntiforgeryTokenIsMissing()
    {
        await using var app = new PreferenceCenterAppFactory("Development");
        using var client = app.CreateClient(NoRedirects);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "mallory@example.test",
            ["Input.Password"] = "Passw0rd!",
            ["_handler"] = "login",
        });

        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task UnknownPage_ShowsFriendlyNotFound()
    {
        await using var app = new PreferenceCenterAppFactory("Production");
        using var client = app.CreateClient(NoRedirects);
        using var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
