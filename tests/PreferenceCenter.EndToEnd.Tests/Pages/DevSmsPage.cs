using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>/dev/sms: where a developer "reads their phone".</summary>
public sealed partial class DevSmsPage(IBrowserContext context)
{
    /// <summary>Codes only: a confirmation queued earlier may land after the code.</summary>
    public Task<string> LatestCodeForAsync(string e164) => InOutboxAsync(async page =>
    {
        var row = (await SentAsync(page, e164, new() { HasText = "VerificationCode" })).First;
        return SixDigits().Match(await row.InnerTextAsync()).Value;
    });

    /// <summary>The manage link in the newest text to a number that carries one, as a path on the server under test
    /// (the text's host is the configured public address, which a test server on a random port does not own).</summary>
    public Task<string> LatestManageLinkForAsync(string e164) => InOutboxAsync(async page =>
    {
        var row = (await SentAsync(page, e164, new() { HasTextRegex = ManageLink() })).First;
        var link = new Uri(ManageLink().Match(await row.InnerTextAsync()).Value);
        return link.AbsolutePath.TrimStart('/');
    });

    /// <summary>Uses the Development page's "Simulate incoming text" form, which signs the webhook as Twilio would.</summary>
    public Task SimulateIncomingAsync(string from, string toOptionLabel, string body) => InOutboxAsync(async page =>
    {
        await page.GotoAsync("dev/sms");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Simulate incoming text" });
        await form.GetByLabel("From").FillAsync(from);
        await form.GetByLabel("To").SelectOptionAsync(new SelectOptionValue { Label = toOptionLabel });
        await form.GetByLabel("Body").FillAsync(body);
        await form.GetByRole(AriaRole.Button, new() { Name = "Send simulated text" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "delivered to /sms/inbound (200)" }).WaitForAsync();
    });

    /// <summary>How many sent texts to a number contain a phrase, once at least one has arrived.</summary>
    public Task<int> CountSentAsync(string e164, string containing) =>
        InOutboxAsync(async page => await (await SentAsync(page, e164, new() { HasText = containing })).CountAsync());

    /// <summary>
    /// The rows of texts to a number that match, reloading the page until one is there: replies and confirmations
    /// are queued with the change and sent by the app's dispatcher a moment after it commits (ADR 30). Each reload
    /// is a round trip to the server, so this polls without fixed waits; the last look fails with Playwright's message.
    /// </summary>
    private static async Task<ILocator> SentAsync(IPage page, string e164, LocatorFilterOptions filter)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            await page.GotoAsync("dev/sms");
            var rows = page.GetByRole(AriaRole.Table, new() { Name = "Sent text messages" })
                .GetByRole(AriaRole.Row).Filter(new() { HasText = e164 }).Filter(filter);
            if (await rows.CountAsync() > 0)
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                await Assertions.Expect(rows.First).ToBeVisibleAsync();
                return rows;
            }
        }
    }

    private async Task<T> InOutboxAsync<T>(Func<IPage, Task<T>> read)
    {
        T result = default!;
        await InOutboxAsync(async page => { result = await read(page); });
        return result;
    }

    /// <summary>Uses /dev/sms in a tab of its own, so the page under test keeps its state.</summary>
    private async Task InOutboxAsync(Func<IPage, Task> act)
    {
        var page = await context.NewPageAsync();
        try
        {
            await act(page);
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [GeneratedRegex(@"https?://\S+/m/[A-Za-z0-9_-]{22}")]
    private static partial Regex ManageLink();

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
