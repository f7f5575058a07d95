using System.Net;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Tests.Integration;

public sealed class StaffAuthorizationTests : IAsyncLifetime
{
    private static readonly string[] StaffPages = ["/agent", "/agent/dashboard", "/agent/consent-texts", "/agent/customers/someone%40example.test", $"/agent/customers/{Guid.Empty}/export.csv", $"/agent/customers/{Guid.Empty}/export.json"];
    private const string AdminPage = "/admin/access-log";
    private const string LedgerPage = "/admin/ledger";
    private const string EmbedSitesPage = "/admin/embed-sites";
    private const string IntegrationsPage = "/admin/integrations";
    private static readonly string[] WebhookPages = ["/admin/webhooks", "/admin/sync"];
    private static readonly string[] AdminOnlyPages = [.. WebhookPages, "/admin/consent-texts"];

    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StaffPages_SendAnonymousVisitorsToSignIn()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var page in StaffPages.Append(AdminPage).Append(LedgerPage).Append(EmbedSitesPage).Append(IntegrationsPage).Concat(AdminOnlyPages))
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", response.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StaffPages_DenyCustomers()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        foreach (var page in StaffPages.Append(AdminPage).Append(LedgerPage).Append(EmbedSitesPage).Append(IntegrationsPage).Concat(AdminOnlyPages))
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AccountPages_DenyCustomers_ExceptDeletingTheirData()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        foreach (var page in new[] { "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/SetPassword", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/EnableAuthenticator", "/Account/Manage/Passkeys", "/Account/Manage/PersonalData" })
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
        }

        using var delete = await client.GetAsync(new Uri("/Account/Manage/DeletePersonalData", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.DoesNotContain("type=\"password\"", await delete.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffPages_OpenForAgents_ButNotTheAccessLog()
    {
        using var client = await SignedInClients.ForAsync(_app, StaffRoles.Agent);
        foreach (var page in StaffPages)
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{page}: {response.StatusCode}");
        }

        foreach (var page in new[] { AdminPage, EmbedSitesPage, IntegrationsPage }.Concat(AdminOnlyPages))
        {
            using var admin = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.StartsWith("/Account/AccessDenied", admin.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryStaffPage_OpensForAdmins()
    {
        using var client = await SignedInClients.ForAsync(_app, StaffRoles.Admin);
        foreach (var page in StaffPages.Append(AdminPage).Append(LedgerPage))
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{page}: {response.StatusCode}");
        }

        // No id in these routes, so a 404 would mean the page is missing.
        foreach (var page in new[] { EmbedSitesPage, IntegrationsPage }.Concat(AdminOnlyPages))
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Export_WritesCsvAndJsonWithAnAccessRecord_ForAnAgent()
    {
        using var client = await SignedInClients.ForAsync(_app, StaffRoles.Agent);
        var customerId = await CustomersWithConsent.CreateAsync(_app);

        using var csv = await client.GetAsync(new Uri($"/agent/customers/{customerId}/export.csv", UriKind.Relative));
        using var json = await client.GetAsync(new Uri($"/agent/customers/{customerId}/export.json", UriKind.Relative));

        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("at,kind,purpose,sequence", csvText, StringComparison.Ordinal);
        Assert.Contains("Granted,Promotions", csvText, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"Granted\"", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await CustomersWithConsent.AccessRecordsAsync(_app, customerId, "export"));
    }
}
