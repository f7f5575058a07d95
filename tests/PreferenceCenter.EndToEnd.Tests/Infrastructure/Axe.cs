using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>axe-core's WCAG 2.x A/AA rules (2.2 AA included) on a page as it stands.</summary>
internal static class Axe
{
    /// <summary>Fails on any violation, whatever its impact (#20), naming the page state and the elements at fault.</summary>
    public static async Task AssertAccessibleAsync(IPage page, string what)
    {
        // Scan the settled page: mid-way through a colour transition (the theme turning dark) axe reads blended colours.
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        var results = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        var violations = results.Violations.ToList();
        Assert.True(violations.Count == 0, $"{what}: " + string.Join("; ", violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => $"{string.Join(" ", n.Target)} [{n.Html}] {string.Join(" ", n.Any.Select(c => c.Message))}"))}")));
    }
}
