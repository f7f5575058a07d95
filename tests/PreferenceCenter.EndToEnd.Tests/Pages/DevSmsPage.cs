using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>/dev/sms: where a developer "reads their phone".</summary>
public sealed partial class DevSmsPage(IBrowserContext context)
{
    public async Task<string> LatestCodeForAsync(string e164)
    {
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("dev/sms");
            var row = page.GetByRole(AriaRole.Table, new() { Name = "Sent text messages" })
                .GetByRole(AriaRole.Row).Filter(new() { HasText = e164 }).First;
            var body = await row.InnerTextAsync();
            return SixDigits().Match(body).Value;
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
