using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Infrastructure.ScaleOut;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;
using static Microsoft.Playwright.Assertions;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>
/// Two instances of the built app (separate processes) on one database behind the repository's nginx sample, and a
/// customer in real Chromium: a change made through one instance is read through the other, and when the customer's
/// instance is killed their tab comes back on the other one with everything saved (ADR 19, docs/deploy).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ScaleOutTests(BrowserFixture fixture)
{
    private const string Password = "Corr3ct-Horse-Battery!";

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Customer_KeepsEverything_WhenTheirInstanceDiesBehindNginx(string provider)
    {
        // The single switch for the database both instances share: PostgreSQL (instances on several hosts) or one
        // SQLite file (several processes on one host).
        await using var database = await SharedDatabase.CreateAsync(provider);
        await using var first = await AppInstance.StartAsync("first", database.Settings);
        await using var second = await AppInstance.StartAsync("second", database.Settings);
        await using var nginx = await NginxProxy.StartAsync([first, second]);
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = nginx.Url, Locale = "en-GB", TimezoneId = "Europe/London" });
        context.SetDefaultTimeout(20_000);
        try
        {
            var page = await context.NewPageAsync();

            // Sticky: whichever instance nginx picked for this browser ("A") serves all of its requests and its circuit.
            var opened = await page.GotoAsync("preferences");
            var a = InstanceThatAnswered(opened, first, second);
            var b = a == first ? second : first;
            var preferences = new PreferencesPage(page);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Text message preferences" }).WaitForAsync();
            await preferences.VerifyNumberAsync("07700 900345", "+447700900345");
            await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
            await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);
            Assert.Equal(a, InstanceThatAnswered(await page.ReloadAsync(), first, second));
            await preferences.WaitForVerifiedAsync();

            // Read through B directly: A's sign-in cookie opens B (shared Data Protection keys), B reads the shared database.
            var onB = await context.NewPageAsync();
            await onB.GotoAsync($"{b.Url}/preferences");
            // B has served nothing yet: its first circuit (JIT, first database connections) may take a while under CI load.
            await Expect(new PreferencesPage(onB).Promotions).ToBeCheckedAsync(new() { Timeout = 30_000 });
            await onB.CloseAsync();

            // A dies. The tab's circuit is gone with it; Blazor reconnects through nginx, B does not know that circuit,
            // so the page reloads onto B, signed in, from the database.
            await page.EvaluateAsync("() => { window.beforeTheCrash = true; }");
            await a.KillAsync();
            await page.WaitForFunctionAsync("() => window.beforeTheCrash === undefined", null, new() { Timeout = 45_000 });
            await preferences.WaitForVerifiedAsync();
            await Expect(preferences.Promotions).ToBeCheckedAsync();
            await Expect(preferences.HistoryRows.Filter(new() { HasText = "Agreed" })).ToHaveCountAsync(1);

            // The tab works on B: a change is saved there, and both changes are in the history.
            await PreferencesPage.SetAsync(preferences.Promotions, ticked: false);
            await Expect(preferences.HistoryRows.Filter(new() { HasText = "Withdrawn" })).ToHaveCountAsync(1);
            await Expect(preferences.HistoryRows.Filter(new() { HasText = "Promotions" })).ToHaveCountAsync(2);
            Assert.Equal(b, InstanceThatAnswered(await page.ReloadAsync(), first, second));
            await Expect(preferences.Promotions).Not.ToBeCheckedAsync();

            // Nothing lost or forked: the shared ledger verifies with both instances' events in one chain.
            using var cliData = new TempDataFolder("scale-out-cli");
            var cli = new Dictionary<string, string?>(database.Settings) { ["Storage:DataFolder"] = cliData.Path };
            var (code, output, errors) = await WebExecutable.RunAsync(cli, CancellationToken.None, "ledger", "verify");
            Assert.True(code == 0, output + errors);
            Assert.Contains("2 events, chain intact", output, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n--- first ---\n{Tail(first.Output)}\n--- second ---\n{Tail(second.Output)}\n--- nginx ---\n{nginx.ErrorLog}", ex);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static AppInstance InstanceThatAnswered(IResponse? response, AppInstance first, AppInstance second)
    {
        Assert.NotNull(response);
        var upstream = response.Headers.TryGetValue(NginxProxy.UpstreamHeader, out var value) ? value : string.Empty;

        // After a failover nginx lists every address it tried ("A, B"); the last one answered.
        var answered = upstream.Split(',').Last().Trim();
        return answered == first.UpstreamAddress ? first : answered == second.UpstreamAddress ? second : throw new InvalidOperationException($"Unknown upstream '{upstream}'.");
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;
}
