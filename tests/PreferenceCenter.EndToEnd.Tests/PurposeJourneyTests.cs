using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>A purpose added without code works everywhere the two seeded ones do (#19).</summary>
[Collection(BrowserGroup.Name)]
public sealed class PurposeJourneyTests(BrowserFixture fixture)
{
    private const string SurveysNumber = "+447700900003";

    [Fact]
    public async Task AddedPurpose_WorksOnTheWebBySmsInTheApiWebhooksExportAndTimeline_WhenAnAdminAddsItOnThePurposesPage()
    {
        // A server of its own: every page of the shared one would show the new box.
        await using var app = new AppServer();
        await using var receiver = await WebhookReceiver.StartAsync();
        await app.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", receiver.Url(), PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);

        // An admin adds "Surveys" with its words and its own sending number.
        var admin = await fixture.NewStaffPageAsync("Admin", "purposes", app);
        await admin.GotoAsync("admin/purposes");
        var form = admin.Locator("#purpose-add-form");
        await form.GetByLabel("Key", new() { Exact = true }).FillAsync("Surveys");
        await form.GetByLabel("Name in English").FillAsync("Surveys");
        await form.GetByLabel("Name in Spanish").FillAsync("Encuestas");
        await form.GetByLabel("How texts name it in English").FillAsync("survey texts");
        await form.GetByLabel("How texts name it in Spanish").FillAsync("las encuestas");
        await form.GetByLabel("Message frequency in English").FillAsync("up to 2 msgs/month");
        await form.GetByLabel("Message frequency in Spanish").FillAsync("hasta 2 msjs/mes");
        await form.GetByLabel("Sending number (optional)").FillAsync(SurveysNumber);
        await form.GetByLabel("Checkbox label in English").FillAsync("Surveys");
        await form.GetByLabel("Wording in English").FillAsync("Two short surveys a month about your orders. Msg & data rates may apply. Reply STOP to opt out, HELP for help.");
        await form.GetByLabel("Checkbox label in Spanish").FillAsync("Encuestas");
        await form.GetByLabel("Wording in Spanish").FillAsync("Dos encuestas cortas al mes sobre tus pedidos. Pueden aplicarse tarifas. Responde STOP para darte de baja.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add purpose" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Added Surveys" })).ToContainTextAsync("Added Surveys (Surveys)");
        await Expect(admin.GetByRole(AriaRole.Row, new() { Name = "Surveys" }).First).ToContainTextAsync(SurveysNumber);

        // Web: the customer sees a third, unticked box and ticks it.
        var customer = await fixture.NewPageAsync(app: app);
        var preferences = new PreferencesPage(customer);
        await preferences.SignInWithPhoneAsync("+44 7700 900361", "+447700900361");
        var surveys = customer.GetByRole(AriaRole.Checkbox, new() { Name = "Surveys" });
        await Expect(surveys).Not.ToBeCheckedAsync();
        await PreferencesPage.SetAsync(surveys, ticked: true);

        // Webhooks: the subscriber chose every purpose before Surveys existed, and still gets it.
        await Poll.UntilAsync(() => receiver.Accepted.Any(a => Data(a, "purpose") == "Surveys" && a.Json.GetProperty("type").GetString() == "consent.granted"), "the grant reaches the CRM");

        // API: another system asks before texting.
        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", (await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Surveys tool", [ApiScopes.ConsentsRead])).Key);
        Assert.True(await AllowedAsync(api));

        // SMS: STOP to the Surveys number stops Surveys only.
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await new DevSmsPage(customer.Context).SimulateIncomingAsync("+447700900361", $"{SurveysNumber} (surveys number)", "STOP");
        await Poll.UntilAsync(() => receiver.Accepted.Any(a => Data(a, "purpose") == "Surveys" && a.Json.GetProperty("type").GetString() == "consent.revoked"), "the STOP reaches the CRM");
        Assert.False(await AllowedAsync(api));
        await customer.ReloadAsync();
        await preferences.WaitForVerifiedAsync();
        await Expect(surveys).Not.ToBeCheckedAsync();
        await Expect(preferences.Promotions).ToBeCheckedAsync();

        // Agent: the timeline and the export name it.
        var agent = await fixture.NewStaffPageAsync("Agent", "purposes-agent", app);
        var console = new StaffConsolePages(agent);
        await console.SearchAsync("07700 900361");
        await console.OpenCustomerWithNumberAsync("+447700900361");
        await Expect(console.Timeline).ToContainTextAsync("Surveys granted");
        await Expect(console.Timeline).ToContainTextAsync("Surveys revoked");
        var exportLink = await agent.GetByRole(AriaRole.Link, new() { Name = "Export timeline (CSV)" }).GetAttributeAsync("href");
        var export = await agent.Context.APIRequest.GetAsync(exportLink!);
        Assert.True(export.Ok, $"export answered {export.Status}");
        var csv = await export.TextAsync();
        Assert.Contains("Granted,Surveys,", csv, StringComparison.Ordinal);
        Assert.Contains("Revoked,Surveys,", csv, StringComparison.Ordinal);
    }

    private static string? Data(ReceivedWebhook hook, string name) =>
        hook.Json.GetProperty("data").TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<bool> AllowedAsync(HttpClient api)
    {
        var check = await api.GetFromJsonAsync<JsonElement>("api/v1/consents/check?phone=%2B447700900361&purpose=surveys", TestContext.Current.CancellationToken);
        return check.GetProperty("allowed").GetBoolean();
    }
}
