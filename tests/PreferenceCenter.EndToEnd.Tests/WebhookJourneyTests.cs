using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class WebhookJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_RegistersASubscriber_AndItsReceiverGetsTheCustomersChangeSignedWithTheSecretShownOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var name = $"Acme CRM {Guid.NewGuid():N}"[..17];

        // An admin made with the app's command line registers the receiver and copies the secret.
        var admin = await fixture.NewStaffPageAsync("Admin", "admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Agent console", Exact = true }).ClickAsync();
        await StaffNav(admin).GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await admin.GetByLabel("Endpoint URL").FillAsync(receiver.Url());
        await admin.GetByRole(AriaRole.Button, new() { Name = "Register subscriber" }).ClickAsync();
        var secret = await admin.GetByLabel("Signing secret", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // A customer agrees to promotions on the web.
        var customer = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(customer);
        await preferences.SignInWithPhoneAsync("+44 7700 900351", "+447700900351");
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);

        // The receiver gets it, and the secret the admin copied verifies it.
        await Poll.UntilAsync(() => receiver.Accepted.Any(a => a.Json.GetProperty("data").GetProperty("phone").GetString() == "+447700900351"), "the change reaches the receiver");
        var hook = receiver.Accepted.Single(a => a.Json.GetProperty("data").GetProperty("phone").GetString() == "+447700900351");
        var signed = Encoding.UTF8.GetBytes($"{hook.Id}.{hook.Timestamp}.").Concat(hook.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), signed)), hook.Signature);
        Assert.Equal("consent.granted", hook.Json.GetProperty("type").GetString());

        // The sync status page shows the success, and the secret is gone from the admin pages.
        await StaffNav(admin).GetByRole(AriaRole.Link, new() { Name = "Sync status" }).ClickAsync();
        var card = admin.GetByRole(AriaRole.Region, new() { Name = name });
        var lastSuccess = card.GetByRole(AriaRole.Row, new() { Name = "Last success" });

        // The receiver has the change a moment before the dispatcher records its answer; Refresh shows it, as an admin would.
        await Poll.UntilAsync(
            async () =>
            {
                await admin.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
                return !(await lastSuccess.InnerTextAsync()).Contains("Never", StringComparison.Ordinal);
            },
            "the sync status shows the delivery's success");
        await Expect(card).ToContainTextAsync("No failed deliveries.");
        await Expect(admin.Locator("body")).Not.ToContainTextAsync(secret);
    }

    private static ILocator StaffNav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Agent console" });
}
