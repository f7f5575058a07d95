using System.Globalization;
using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.EndToEnd.Tests.Pages;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary>What a keyboard user meets on a phone-sized page: the skip link, a focus ring they can see, the right keypad.</summary>
[Collection(BrowserGroup.Name)]
public sealed class KeyboardAndFocusTests(BrowserFixture fixture)
{
    // Reads the focused element's ring and the colour behind it (the first ancestor with an opaque background).
    private const string FocusRingScript = """
        () => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const box = el.closest('.mud-checkbox, .mud-radio') ? el.closest('.mud-checkbox, .mud-radio').querySelector('.mud-button-root') : el;
            const style = getComputedStyle(box);
            let bg = 'rgb(255, 255, 255)';
            for (let n = box.parentElement; n; n = n.parentElement) {
                const c = getComputedStyle(n).backgroundColor;
                if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
            }
            const name = (el.getAttribute('aria-label') || el.innerText || el.id || el.tagName).trim().slice(0, 40);
            return [name, style.outlineStyle, style.outlineWidth, style.outlineColor, bg];
        }
        """;

    [Theory]
    [InlineData("/preferences")]
    [InlineData("/agent")]
    public async Task SkipLink_MovesFocusToTheContentOfThisPage_WhenUsedFromTheKeyboard(string path)
    {
        var page = path.StartsWith("/agent", StringComparison.Ordinal) ? await fixture.NewStaffPageAsync("Agent", "skip") : await fixture.NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.WaitForAsync();
        Assert.Equal(path, new Uri(page.Url).AbsolutePath);
        if (path == "/preferences")
        {
            // The heading is static HTML now; Blazor puts focus on it once it starts, so begin tabbing after that.
            await page.GetByLabel("Phone number").WaitForAsync();
        }

        // Start where a keyboard user starts: on the skip link, the first stop of the document.
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToBeFocusedAsync();
        var pathBefore = new Uri(page.Url).AbsolutePath;
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        Assert.Equal(pathBefore, new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/", ColorScheme.Light)]
    [InlineData("/preferences", ColorScheme.Light)]
    [InlineData("/preferences", ColorScheme.Dark)]
    public async Task EveryControlReachedByTab_ShowsAFocusRingOfAtLeastTwoPixelsAndThreeToOne_At360Pixels(string path, ColorScheme scheme)
    {
        var page = await fixture.NewPageAsync(colorScheme: scheme);
        await page.SetViewportSizeAsync(360, 740);
        await page.GotoAsync(path);
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).First.WaitForAsync();

        // Start at the top of the document: the page may have put focus on its heading, below the header's links.
        await page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" }).FocusAsync();
        var problems = new List<string>();
        var seen = 0;
        for (var i = 0; i < 25; i++)
        {
            if (i > 0)
            {
                await page.Keyboard.PressAsync("Tab");
            }

            var ring = await page.EvaluateAsync<string[]?>(FocusRingScript);
            if (ring is null)
            {
                break;
            }

            seen++;
            var (name, style, width, color, background) = (ring[0], ring[1], ring[2], ring[3], ring[4]);
            var pixels = double.Parse(width.Replace("px", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var contrast = Contrast(color, background);
            if (style == "none" || pixels < 2 || contrast < 3)
            {
                problems.Add($"{name}: {style} {width} {color} on {background} ({contrast:0.00}:1)");
            }
        }

        Assert.True(seen >= 5, $"only {seen} controls reached by Tab on {path}");
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StopAllDialog_StartsOnCancelAndClosesOnEscape_WithoutStoppingAnything()
    {
        var page = await fixture.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);
        var preferences = new PreferencesPage(page);
        await preferences.SignInWithPhoneAsync("07700 900781", "+447700900781");
        await preferences.Promotions.CheckAsync();
        await Assertions.Expect(preferences.Promotions).ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop all texts" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(preferences.Promotions).ToBeCheckedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PhoneNumberField_AsksForTheTelephoneKeypad_OnAPhone()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/preferences");

        var phone = page.GetByLabel("Phone number");

        await Assertions.Expect(phone).ToHaveAttributeAsync("inputmode", "tel");
        await Assertions.Expect(phone).ToHaveAttributeAsync("type", "tel");
        await Assertions.Expect(page.GetByLabel("Verification code")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Verify_MovesFocusToTheChoices_AndItsNoticeGoesWithTheNextChange()
    {
        var page = await fixture.NewPageAsync();
        var preferences = new PreferencesPage(page);
        var choices = page.GetByRole(AriaRole.Heading, new() { Name = "What we may text you" });

        // Signing in with a code reloads the page; focus continues at the choices, not at the top.
        await preferences.SignInWithPhoneAsync("07700 900371", "+447700900371");
        await Assertions.Expect(choices).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator(".preferences-skeleton")).ToBeHiddenAsync();
        Assert.Equal("/preferences", new Uri(page.Url).PathAndQuery);
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        var saved = page.GetByText("View the receipt for this change");
        await Assertions.Expect(saved).ToBeVisibleAsync();

        // Changing the number in place: the same, and the "Number verified" notice replaces the stale "Saved".
        await page.GetByRole(AriaRole.Button, new() { Name = "Change number" }).ClickAsync();
        await preferences.VerifyNumberAsync("07700 900372", "+447700900372");
        await Assertions.Expect(choices).ToBeFocusedAsync();
        var verified = page.GetByText("Number verified.");
        await Assertions.Expect(verified).ToBeVisibleAsync();
        await Assertions.Expect(saved).ToHaveCountAsync(0);

        // The next change ends the notice about verifying; its own "Saved" shows instead.
        await PreferencesPage.SetAsync(preferences.Promotions, ticked: true);
        await Assertions.Expect(saved).ToBeVisibleAsync();
        await Assertions.Expect(verified).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private static double Contrast(string foreground, string background)
    {
        var (l1, l2) = (Luminance(foreground), Luminance(background));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    // "rgb(31, 78, 140)" or "rgba(...)" → WCAG relative luminance.
    private static double Luminance(string css)
    {
        var parts = css[(css.IndexOf('(', StringComparison.Ordinal) + 1)..css.IndexOf(')', StringComparison.Ordinal)]
            .Split(',', StringSplitOptions.TrimEntries)
            .Take(3)
            .Select(p => double.Parse(p, CultureInfo.InvariantCulture) / 255)
            .Select(c => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4))
            .ToArray();
        return (0.2126 * parts[0]) + (0.7152 * parts[1]) + (0.0722 * parts[2]);
    }
}
