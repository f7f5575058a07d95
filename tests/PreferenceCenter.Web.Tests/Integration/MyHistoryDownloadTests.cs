using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Tests.Integration;

public sealed class MyHistoryDownloadTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task History_DownloadsOnlyTheCallersOwnEvents_AsCsvAndJson()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        var someoneElse = await CustomersWithConsent.CreateAsync(_app, "+447700900555");
        var me = await MyCustomerIdAsync();

        // Give the signed-in customer a verified number and one grant through the app's services.
        Assert.Equal(ConsentChangeOutcome.Changed, await CustomersWithConsent.VerifyAndGrantAsync(_app, me, "+447700900556"));

        using var csv = await client.GetAsync(new Uri("/preferences/history.csv", UriKind.Relative));
        using var json = await client.GetAsync(new Uri("/preferences/history.json", UriKind.Relative));

        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("sequence,occurredAt,recordedAt,purpose,action,method,actor,reason,phone,ipAddress,userAgent,locale,origin,consentTextId,textVersion,textSha256,hash", csvText, StringComparison.Ordinal);
        Assert.Contains("+447700900556", csvText, StringComparison.Ordinal);
        Assert.DoesNotContain("+447700900555", csvText, StringComparison.Ordinal);
        Assert.Contains("\"action\": \"Granted\"", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(someoneElse, me);

        async Task<Guid> MyCustomerIdAsync()
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = users.Users.Single(u => u.UserName!.StartsWith("customer-"));
            return await scope.ServiceProvider.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
        }
    }

    [Fact]
    public async Task Receipt_ShowsTheCallersOwnEventWithProof_AndNothingOfOthers()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        var someoneElse = await CustomersWithConsent.CreateAsync(_app, "+447700900557");
        var me = await MyCustomerIdAsync(_app);
        Assert.Equal(ConsentChangeOutcome.Changed, await CustomersWithConsent.VerifyAndGrantAsync(_app, me, "+447700900558"));
        var consents = _app.Services.GetRequiredService<IConsentService>();
        var mine = (await consents.GetHistoryAsync(me)).Single();
        var theirs = (await consents.GetHistoryAsync(someoneElse)).Single();

        var page = await client.GetStringAsync(new Uri($"/preferences/receipts/{mine.Sequence}", UriKind.Relative));
        using var json = await client.GetAsync(new Uri($"/preferences/receipts/{mine.Sequence}.json", UriKind.Relative));
        var otherPage = await client.GetStringAsync(new Uri($"/preferences/receipts/{theirs.Sequence}", UriKind.Relative));
        using var otherJson = await client.GetAsync(new Uri($"/preferences/receipts/{theirs.Sequence}.json", UriKind.Relative));

        Assert.Contains("Consent receipt #1<", page, StringComparison.Ordinal);
        Assert.Equal(1, mine.Number);
        Assert.Contains(mine.Hash!, page, StringComparison.Ordinal);
        Assert.Contains(mine.TextSha256!, page, StringComparison.Ordinal);
        Assert.Contains("Agreeing is not a condition of any purchase", page, StringComparison.Ordinal);
        using var receipt = System.Text.Json.JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        var evidence = receipt.RootElement.GetProperty("extension").GetProperty("preferencecenter");
        var bytes = Convert.FromBase64String(evidence.GetProperty("canonicalBase64").GetString()!);
        Assert.Equal(mine.Hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        Assert.Equal(mine.TextSha256, evidence.GetProperty("text").GetProperty("sha256").GetString());
        Assert.Contains("Receipt not found", otherPage, StringComparison.Ordinal);
        Assert.DoesNotContain("+447700900557", otherPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherJson.StatusCode);
        Assert.Equal("application/problem+json", otherJson.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ReceiptJson_FollowsIso27560_WithControllerJurisdictionPolicyPurposeAndTheEvidenceAsAnExtension()
    {
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?>
        {
            ["Controller:Name"] = "Acme Telecom Ltd",
            ["Controller:Contact"] = "privacy@acme.example",
            ["Controller:Address"] = "1 High Street, London",
            ["Controller:Jurisdictions:0"] = "GB",
            ["Controller:PolicyUrl"] = "https://acme.example/privacy",
        });
        using var client = await SignedInClients.ForAsync(app, role: null);
        var me = await MyCustomerIdAsync(app);
        await CustomersWithConsent.VerifyAndGrantAsync(app, me, "+447700900559");
        var mine = (await app.Services.GetRequiredService<IConsentService>().GetHistoryAsync(me)).Single();

        using var receipt = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri($"/preferences/receipts/{mine.Sequence}.json", UriKind.Relative)));

        var r = receipt.RootElement;
        Assert.StartsWith("preferencecenter-receipt/2", r.GetProperty("schemaVersion").GetString(), StringComparison.Ordinal);
        Assert.Contains("ISO/IEC TS 27560:2023", r.GetProperty("conformsTo").EnumerateArray().Select(v => v.GetString()));
        Assert.Matches("^urn:uuid:[0-9a-f-]{36}$", r.GetProperty("receiptId").GetString());
        Assert.Equal(("dpv:ConsentGiven", me), (r.GetProperty("consentStatus").GetString(), r.GetProperty("piiPrincipalId").GetGuid()));
        var controller = r.GetProperty("piiControllers")[0];
        Assert.Equal(("Acme Telecom Ltd", "privacy@acme.example", "1 High Street, London"), (controller.GetProperty("name").GetString(), controller.GetProperty("contact").GetString(), controller.GetProperty("address").GetString()));
        Assert.Equal(["GB"], r.GetProperty("jurisdiction").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("https://acme.example/privacy", r.GetProperty("privacyPolicy").GetString());
        var purpose = r.GetProperty("purposes")[0];
        Assert.Equal(("Promotions", "dpv:DirectMarketing", "dpv:Consent", "P6Y"), (purpose.GetProperty("purposeId").GetString(), purpose.GetProperty("purposeCategory").GetString(), purpose.GetProperty("legalBasis").GetString(), purpose.GetProperty("storage").GetProperty("durationAfterEnd").GetString()));
        Assert.Contains("material change", purpose.GetProperty("validity").GetString(), StringComparison.Ordinal);
        Assert.Equal(mine.TextSha256, r.GetProperty("notice").GetProperty("sha256").GetString());
        Assert.Equal(mine.Hash, r.GetProperty("extension").GetProperty("preferencecenter").GetProperty("chain").GetProperty("hash").GetString());
    }

    private static async Task<Guid> MyCustomerIdAsync(PreferenceCenterAppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = users.Users.Single(u => u.UserName!.StartsWith("customer-"));
        return await scope.ServiceProvider.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
    }

    [Fact]
    public async Task History_SendsAnonymousVisitorsToSignIn()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync(new Uri("/preferences/history.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }
}
