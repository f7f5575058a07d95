using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>
/// A whole customer journey in a real browser, plus an API check and a STOP text, with every log line of every
/// category captured at Trace: no raw phone number, code or API key reaches any of them (ADR 20).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class LogPrivacyTests(BrowserFixture fixture)
{
    private const string Password = "Corr3ct-Horse-Battery!";
    private const string E164 = "+447700900777";

    [Fact]
    public async Task Logs_NeverContainTheNumberTheCodeOrTheApiKey_AcrossACustomerJourney()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = new AppServer(web => web.ConfigureLogging(l => l.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace)));
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, Locale = "en-GB", TimezoneId = "Europe/London" });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var preferences = new PreferencesPage(page);
        await preferences.OpenAsync();

        await preferences.SendCodeToAsync("07700 900777");
        var code = await new DevSmsPage(context).LatestCodeForAsync(E164);
        await preferences.EnterCodeAsync(code == "000000" ? "111111" : "000000");
        await Expect(preferences.Alert).ToContainTextAsync("attempt");
        await preferences.EnterCodeAsync(code);
        await preferences.WaitForVerifiedAsync();
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: false);
        await Expect(preferences.HistoryRows.Filter(new() { HasText = "Withdrawn" })).ToHaveCountAsync(1);

        // Another system asks about the number with its key; then the customer texts STOP.
        var key = (await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("CRM", [ApiScopes.ConsentsRead])).Key;
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/consents/check?phone={Uri.EscapeDataString(E164)}&purpose=Promotions");
            request.Headers.Add("X-Api-Key", key);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var answer = await http.SendAsync(request);
            Assert.True(answer.IsSuccessStatusCode, $"the check answered {(int)answer.StatusCode}");
        }

        await new DevSmsPage(context).SimulateIncomingAsync(E164, "+447700900002 (promotions number)", "STOP");
        await context.CloseAsync();

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, e => e.Contains("•••", StringComparison.Ordinal));
        string[] secrets = [E164, "447700900777", "7700900777", "7700 900777", Uri.EscapeDataString(E164), code, key];
        var leaks = logs.Lines.Where(e => secrets.Any(s => e.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, "Logged in the clear:\n" + string.Join("\n", leaks.Select(l => l.Split('[', 2)[0]).Distinct()));
    }
}
