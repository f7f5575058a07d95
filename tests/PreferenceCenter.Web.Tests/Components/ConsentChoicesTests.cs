using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Web.Features.Preferences;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class ConsentChoicesTests : PreferenceComponentTestContext
{
    private IConsentService Consents => Services.GetRequiredService<IConsentService>();

    [Fact]
    public async Task ConsentChoices_ShowsBothBoxesUntickedWithTheirTexts_ForNewCustomer()
    {
        await VerifyNumberAsync();
        var cut = await RenderChoicesAsync(isVerified: true);

        var boxes = cut.FindAll("input[type=checkbox]");
        Assert.Equal(2, boxes.Count);
        Assert.All(boxes, b => Assert.False(b.HasAttribute("checked")));
        Assert.All(boxes, b => Assert.False(b.HasAttribute("disabled")));
        Assert.Contains("Account alerts", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Promotions", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Msg &amp; data rates may apply", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Reply STOP to opt out", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentChoices_DisablesBothBoxes_UntilNumberIsVerified()
    {
        var cut = await RenderChoicesAsync(isVerified: false);

        Assert.All(cut.FindAll("input[type=checkbox]"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.Contains("Verify your phone number above", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Stop all texts").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ConsentChoices_TickingPromotions_GrantsExactlyOnce()
    {
        await VerifyNumberAsync();
        var changed = 0;
        var cut = await RenderChoicesAsync(isVerified: true, onChanged: () => changed++);

        await cut.FindAll("input[type=checkbox]")[1].ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        await using var db = await OpenAsync();
        var e = await db.ConsentEvents.SingleAsync();
        Assert.Equal((Purpose.Promotions, ConsentAction.Granted, "web"), (e.Purpose, e.Action, e.Method));

        // The "you're subscribed" text is promised with the grant, once, by the service (the component sends nothing).
        Assert.Equal([e.Sequence], await db.PendingConfirmations.Select(c => c.GrantSequence).ToListAsync());
        Assert.False(await db.SmsOutbox.AnyAsync(m => m.Kind != Domain.Messaging.SmsKind.VerificationCode));
        Assert.Equal(1, changed);
        Assert.Contains("Saved: Promotions on.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentChoices_UntickingAGrantedBox_Revokes()
    {
        await VerifyNumberAsync();
        var texts = await Consents.GetCurrentTextsAsync("en");
        await Consents.GrantAsync(CustomerId, Purpose.AccountAlerts, texts[0].Id, new("web", "test", null, null, null));
        var cut = await RenderChoicesAsync(isVerified: true);
        Assert.True(cut.FindAll("input[type=checkbox]")[0].HasAttribute("checked"));

        await cut.FindAll("input[type=checkbox]")[0].ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = false });

        Assert.False((await Consents.GetStatesAsync(CustomerId)).Single(s => s.Purpose == Purpose.AccountAlerts).Granted);
    }

    private async Task<IRenderedComponent<ConsentChoices>> RenderChoicesAsync(bool isVerified, Action? onChanged = null)
    {
        var texts = await Consents.GetCurrentTextsAsync("en");
        var states = await Consents.GetStatesAsync(CustomerId);
        return RenderWithProviders<ConsentChoices>(p => p
            .Add(c => c.CustomerId, CustomerId)
            .Add(c => c.Texts, texts)
            .Add(c => c.States, states)
            .Add(c => c.IsVerified, isVerified)
            .Add(c => c.OnChanged, () => onChanged?.Invoke()));
    }
}
