using Bunit;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Web.Features.Preferences;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class PhoneVerificationPanelTests : PreferenceComponentTestContext
{
    [Theory]
    [InlineData("0770", "too short")]
    [InlineData("+44 7700 900123 4567", "too long")]
    [InlineData("020 7946 0000", "cannot receive texts")]
    [InlineData("07700 900123 ext 4", "without an extension")]
    [InlineData("call me maybe", "only contain digits")]
    public async Task SendCode_ShowsMessageNextToFieldAndSendsNothing_WhenNumberIsBad(string typed, string expected)
    {
        var cut = RenderPanel();

        await TypeAsync(cut, "Phone number", typed);
        await ClickAsync(cut, "Send code");

        Assert.Contains(expected, cut.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", FindField(cut, "Phone number")!.GetAttribute("aria-invalid"));
        Assert.Contains(expected, cut.Find("[role=alert]").TextContent, StringComparison.OrdinalIgnoreCase);
        await using var db = await OpenAsync();
        Assert.Equal(0, await db.SmsOutbox.CountAsync());
        Assert.Equal(0, await db.VerificationChallenges.CountAsync());
    }

    [Fact]
    public async Task SendCode_MovesToCodeStep_WhenNumberIsGoodForDefaultRegion()
    {
        var cut = RenderPanel();

        await TypeAsync(cut, "Phone number", "07700 900123");
        await ClickAsync(cut, "Send code");

        Assert.Contains("We sent a 6-digit code to", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("It expires in 10 minutes.", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("+44 7700 900123", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(FindField(cut, "Verification code"));
        await using var db = await OpenAsync();
        Assert.Equal("+447700900123", (await db.SmsOutbox.SingleAsync()).ToE164);
    }

    [Fact]
    public async Task ResendButton_CountsDownTheCooldownThenSendsAnotherCode_WhenTimePasses()
    {
        var cut = RenderPanel();
        await TypeAsync(cut, "Phone number", "+44 7700 900123");
        await ClickAsync(cut, "Send code");

        // No second code can be asked for during the cooldown, so nobody is scolded for trying.
        Assert.True(ButtonNamed(cut, "Send code again in 30 s").HasAttribute("disabled"));
        Clock.Advance(TimeSpan.FromSeconds(29));
        cut.WaitForAssertion(() => Assert.True(ButtonNamed(cut, "Send code again in 1 s").HasAttribute("disabled")));
        Clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.False(ButtonNamed(cut, "Send code").HasAttribute("disabled")));

        await ClickAsync(cut, "Send code");

        await using var db = await OpenAsync();
        Assert.Equal(2, await db.SmsOutbox.CountAsync());
        Assert.DoesNotContain("Please wait", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(ButtonNamed(cut, "Send code again in 30 s"));
    }

    [Fact]
    public async Task Verify_ShowsAttemptsLeft_WhenCodeIsWrong_AndDoesNotCountNonCodes()
    {
        var cut = RenderPanel();
        await TypeAsync(cut, "Phone number", "+44 7700 900123");
        await ClickAsync(cut, "Send code");

        await TypeAsync(cut, "Verification code", "12");
        await ClickAsync(cut, "Verify");
        Assert.Contains("Enter the 6-digit code", cut.Markup, StringComparison.Ordinal);

        await using var db = await OpenAsync();
        var code = System.Text.RegularExpressions.Regex.Match((await db.SmsOutbox.SingleAsync()).Body, @"\d{6}").Value;
        await TypeAsync(cut, "Verification code", code == "000000" ? "111111" : "000000");
        await ClickAsync(cut, "Verify");
        Assert.Contains("That code is not right. 4 attempts left.", cut.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<PhoneVerificationPanel> RenderPanel() =>
        RenderWithProviders<PhoneVerificationPanel>(p => p.Add(c => c.CustomerId, CustomerId));

    private static AngleSharp.Dom.IElement? FindField(IRenderedComponent<PhoneVerificationPanel> cut, string label)
    {
        var labelElement = cut.FindAll("label").FirstOrDefault(l => l.TextContent.Trim() == label);
        var id = labelElement?.GetAttribute("for");
        return id is null ? null : cut.Find($"#{id}");
    }

    private static async Task TypeAsync(IRenderedComponent<PhoneVerificationPanel> cut, string label, string value)
    {
        var input = FindField(cut, label) ?? throw new InvalidOperationException($"No field labelled {label}");
        await input.InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = value });
    }

    private static AngleSharp.Dom.IElement ButtonNamed(IRenderedComponent<PhoneVerificationPanel> cut, string name) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == name);

    private static Task ClickAsync(IRenderedComponent<PhoneVerificationPanel> cut, string name) =>
        cut.FindAll("button").First(b => b.TextContent.Trim() == name).ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
}
