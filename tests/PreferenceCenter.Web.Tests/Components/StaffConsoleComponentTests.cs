using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class StaffConsoleComponentTests : PreferenceComponentTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false, true, "Nothing is granted until they do, within 24 hours")]
    [InlineData(true, true, "They already get every kind of text we send")]
    [InlineData(false, false, "no current number to text")]
    public void OptInRequestPanel_OffersASendOnlyWhenSomethingIsNotGrantedOnACurrentNumber(bool everythingGranted, bool hasNumber, string says)
    {
        ConsentStateView[] states = [new(Purpose.AccountAlerts, true, "+447700900123", T0, 1), new(Purpose.Promotions, everythingGranted, everythingGranted ? "+447700900123" : null, null, null)];

        var cut = RenderWithProviders<OptInRequestPanel>(p => p
            .Add(c => c.CustomerId, Guid.NewGuid())
            .Add(c => c.Number, hasNumber ? "+447700900123" : null)
            .Add(c => c.States, states)
            .Add(c => c.Staff, new StaffMember("42", "agent@example.test", null)));

        Assert.Contains(says, cut.Markup, StringComparison.Ordinal);
        Assert.Equal(!everythingGranted && hasNumber, cut.Markup.Contains("Send opt-in request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsentTimeline_RendersEveryKindWithItsEvidence()
    {
        var texts = (await Services.GetRequiredService<IConsentService>().GetCurrentTextsAsync("en")).ToDictionary(t => t.Id);
        TimelineEntry[] entries =
        [
            new(T0.AddMinutes(5), TimelineKind.Revoked, Purpose.Promotions, "+447700900123", "agent", "agent:42", "198.51.100.9", null, 2, "Customer phoned (phone call)", 2),
            new(T0.AddMinutes(4), TimelineKind.Granted, Purpose.Promotions, "+447700900123", "web", "customer:1", "203.0.113.7", "Firefox/140", 2, null, 1)
            {
                RecordedAt = T0.AddMinutes(4),
                Locale = "en-GB",
                Origin = "https://prefs.example.com",
                TextSha256 = texts[2].TextSha256,
                Hash = new string('c', 64),
            },
            new(T0.AddMinutes(3.5), TimelineKind.TextShown, Purpose.Promotions, null, "web", "customer:1", null, null, 2, null, null) { Origin = "https://prefs.example.com" },
            new(T0.AddMinutes(3), TimelineKind.NumberReplaced, null, "+447700900100", null, "customer:1", null, null, null, null, null),
            new(T0.AddMinutes(2), TimelineKind.NumberVerified, null, "+447700900123", null, "customer:1", null, null, null, null, null),
            new(T0.AddMinutes(1), TimelineKind.CodeSent, null, "+447700900123", null, "system", null, null, null, null, null),
        ];

        var cut = RenderWithProviders<ConsentTimeline>(p => p.Add(c => c.Entries, entries).Add(c => c.Texts, texts));

        var items = cut.FindAll(".timeline-entry");
        Assert.Equal(Enum.GetValues<TimelineKind>().Select(k => k.ToString()).Order(), items.Select(i => i.GetAttribute("data-kind")!).Order());
        Assert.Contains("Promotions revoked", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Reason: Customer phoned (phone call)", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Firefox/140", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Page https://prefs.example.com", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Locale en-GB", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains(new string('c', 64), items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Promotions text shown", items[2].TextContent, StringComparison.Ordinal);

        // The exact text consented to opens on demand.
        Assert.DoesNotContain("Msg &amp; data rates", cut.Markup, StringComparison.Ordinal);
        await items[1].QuerySelector("button")!.ClickAsync(new MouseEventArgs());
        Assert.Contains("Msg &amp; data rates may apply", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(texts[2].TextSha256, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("does not match", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentAsOfPanel_ShowsTheReplayedStateAndDecidingEvent_ForThePickedMinute()
    {
        await VerifyNumberAsync();
        var consents = Services.GetRequiredService<IConsentService>();
        Clock.Advance(TimeSpan.FromHours(1));
        var grant = (await consents.GrantAsync(CustomerId, Purpose.Promotions, 2, new("web", "test", null, null, null))).Event!;
        Clock.Advance(TimeSpan.FromDays(1));
        await consents.RevokeAsync(CustomerId, Purpose.Promotions, 2, new("agent", "agent:1", null, null, null));
        var cut = RenderWithProviders<ConsentAsOfPanel>(p => p.Add(c => c.CustomerId, CustomerId));

        // The browser's zone is UTC here: pick the minute of the grant (10:00 on 23 Nov) and ask.
        await cut.InvokeAsync(() => cut.FindComponent<MudDatePicker>().Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 23)));
        await cut.InvokeAsync(() => cut.FindComponent<MudTimePicker>().Instance.TimeChanged.InvokeAsync(new TimeSpan(10, 0, 0)));
        await cut.Find("button.mud-button-filled").ClickAsync(new MouseEventArgs());

        var rows = cut.FindAll("tbody tr");
        Assert.Contains("Not granted", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Granted", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains($"#{grant.Sequence}: granted via web", rows[1].TextContent, StringComparison.Ordinal);

        // Today, the agent's revocation decides it.
        await cut.InvokeAsync(() => cut.FindComponent<MudDatePicker>().Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 24)));
        await cut.Find("button.mud-button-filled").ClickAsync(new MouseEventArgs());
        Assert.Contains("revoked via agent", cut.FindAll("tbody tr")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordRevocationForm_EnablesButtonOnlyWithPurposeChannelAndReason()
    {
        await VerifyNumberAsync();
        var consents = Services.GetRequiredService<IConsentService>();
        await consents.GrantAsync(CustomerId, Purpose.Promotions, 2, new("web", "test", null, null, null));
        var recorded = 0;
        var cut = RenderWithProviders<RecordRevocationForm>(p => p
            .Add(c => c.CustomerId, CustomerId)
            .Add(c => c.States, consents.GetStatesAsync(CustomerId).Result)
            .Add(c => c.Staff, new StaffMember("agent-1", "agent@example.test", "198.51.100.9"))
            .Add(c => c.OnRecorded, () => recorded++));
        Assert.True(Button(cut).HasAttribute("disabled"));

        // Choose in the two selects the way MudSelect reports a choice.
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(nameof(Purpose.Promotions)));
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<RevocationChannel?>>().Instance.ValueChanged.InvokeAsync(RevocationChannel.PhoneCall));
        Assert.True(Button(cut).HasAttribute("disabled"), "Reason is still missing");

        var inputs = cut.FindAll("input");
        await inputs[^1].InputAsync(new ChangeEventArgs { Value = "Customer phoned" });
        Assert.False(Button(cut).HasAttribute("disabled"));

        await Button(cut).ClickAsync(new MouseEventArgs());
        Assert.Equal(1, recorded);
        Assert.False((await consents.GetStatesAsync(CustomerId)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.Contains("1 consent withdrawn", cut.Markup, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<RecordRevocationForm> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Record revocation");
}
