using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.ConsentTexts;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>The consent-text admin panel, the customer's change notice and the agents' answers table (#10).</summary>
public sealed class ConsentTextComponentTests : PreferenceComponentTestContext
{
    private const int PromotionsV1 = 2;

    public ConsentTextComponentTests() =>
        JSInterop.SetupModule("http://localhost/js/browser-time.js").Setup<string>("timeZone").SetResult("Etc/UTC");

    private ConsentTextAdmin Admin => Services.GetRequiredService<ConsentTextAdmin>();

    public static TheoryData<string, string, string, string?, string> BadInput => new()
    {
        { "", "Offers by text.", "More texts.", null, "Enter the checkbox label customers will tick." },
        { "Promotions", "   ", "More texts.", null, "Enter the explanation shown under the label." },
        { "Promotions", "Offers by text.", "", null, "Say in a sentence what changed" },
        { "Promotions", "Offers by text.", "More texts.", "2020-01-01", "The deadline must be in the future." },
        { "Promotions", "Offers by text.", "More texts.", "31/01/2027", "Enter a date like 2027-01-31" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task DraftForm_ShowsWhatIsWrongAndSavesNothing_WhenTheInputIsInvalid(string label, string body, string summary, string? deadline, string message)
    {
        var host = await RenderAdminAsync();
        var before = (await Admin.ListAsync()).Count;

        await host.FillAsync("Label", label);
        await host.FillAsync("Wording", body);
        await host.FillAsync("What changed (shown to customers)", summary);
        if (deadline is not null)
        {
            await host.FillAsync("Re-confirm by (optional)", deadline);
        }

        await host.ButtonAsync("Save draft");

        Assert.Contains("Nothing was saved", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains(message, host.Markup, StringComparison.Ordinal);
        Assert.Equal(before, (await Admin.ListAsync()).Count);
    }

    [Fact]
    public async Task DraftForm_HidesTheDeadline_ForAccountAlerts()
    {
        var host = await RenderAdminAsync();
        Assert.Single(host.FindAll("label"), l => l.TextContent.Trim() == "Re-confirm by (optional)");

        var select = host.FindComponents<MudBlazor.MudSelect<Purpose>>().Single();
        await host.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(Purpose.AccountAlerts));

        Assert.DoesNotContain(host.FindAll("label"), l => l.TextContent.Trim() == "Re-confirm by (optional)");
        Assert.Contains("Account alerts never lapse", host.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_SavesPreviewsAndPublishesAMaterialDraft_AsCustomersWillSeeIt()
    {
        var host = await RenderAdminAsync();
        await host.FillAsync("Label", "Promotions");
        await host.FillAsync("Wording", "Offers and partner deals by text, at most 8 messages a month.");
        await host.FillAsync("What changed (shown to customers)", "Up to 8 texts a month, now with partner deals.");
        await host.ButtonAsync("Save draft");

        var draft = Assert.Single(await Admin.ListAsync(), t => !t.IsPublished);
        Assert.Equal((Purpose.Promotions, ConsentTextKind.Material, 0), (draft.Purpose, draft.Kind, draft.Version));
        Assert.Contains("Draft saved", host.Find("[role=status]").TextContent, StringComparison.Ordinal);

        await host.Find("button[aria-label='Preview the Promotions (en) draft']").ClickAsync(new MouseEventArgs());
        var preview = host.Find("#consent-text-preview [inert]");
        Assert.Contains("Offers and partner deals by text", preview.QuerySelector(".consent-choice[data-purpose=Promotions]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(preview.QuerySelector(".consent-choice[data-purpose=AccountAlerts]"));
        Assert.Contains("Up to 8 texts a month, now with partner deals.", preview.TextContent, StringComparison.Ordinal);
        Assert.Contains(preview.QuerySelectorAll("ins.diff-added"), i => i.TextContent.Contains("partner deals", StringComparison.Ordinal));
        Assert.Contains(preview.QuerySelectorAll("ins.diff-added"), i => i.TextContent.Contains('8', StringComparison.Ordinal));

        // The click's handler waits for the dialog's answer, so it finishes only after the second click.
        var clicked = host.Find("button[aria-label='Publish the Promotions (en) draft']").ClickAsync(new MouseEventArgs());
        host.WaitForElement(".mud-dialog");
        await host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Publish").ClickAsync(new MouseEventArgs());
        await clicked;

        host.WaitForAssertion(() => Assert.Contains("Published: Promotions (en) version 2.", host.Find("[role=status]").TextContent, StringComparison.Ordinal));
        var published = Assert.Single(await Admin.ListAsync(), t => t.Id == draft.Id);
        Assert.Equal((ConsentTextStatus.Published, 2), (published.Status, published.Version));
        Assert.Empty(host.FindAll("button[aria-label='Publish the Promotions (en) draft']"));
    }

    [Fact]
    public async Task Notice_Keep_RecordsAGrantUnderTheNewVersionAndAnnouncesIt()
    {
        var v2 = await GrantThenChangeAsync(ConsentTextKind.Material);
        var answered = 0;
        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId).Add(n => n.OnAnswered, () => answered++));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("#text-change-heading")));
        Assert.Contains("Up to 8 texts a month.", host.Markup, StringComparison.Ordinal);
        Assert.Contains("4", host.Find("del.diff-removed").TextContent, StringComparison.Ordinal);

        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Keep these texts").ClickAsync(new MouseEventArgs());

        Assert.Equal("Saved: you will keep getting promotions texts under the new terms.", host.Find("[role=status]").TextContent);
        Assert.Empty(host.FindAll("#text-change-heading"));
        Assert.Equal(1, answered);
        await using var db = await OpenAsync();
        var last = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal((ConsentAction.Granted, v2.Id, ConsentReasons.KeptAfterChange, ConsentMethod.Web), (last.Action, last.ConsentTextId, last.Reason, last.Method));
    }

    [Fact]
    public async Task Notice_Withdraw_RecordsARevokeUnderTheNewVersion()
    {
        var v2 = await GrantThenChangeAsync(ConsentTextKind.Material);
        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("#text-change-heading")));

        await host.FindAll("button").Single(b => b.TextContent.Trim() == "Stop these texts").ClickAsync(new MouseEventArgs());

        Assert.Equal("Saved: we will not send you promotions texts any more.", host.Find("[role=status]").TextContent);
        await using var db = await OpenAsync();
        var last = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        Assert.Equal((ConsentAction.Revoked, v2.Id, ConsentReasons.WithdrawnAfterChange), (last.Action, last.ConsentTextId, last.Reason));
    }

    [Fact]
    public async Task Notice_ShowsNothing_WhenTheChangeIsEditorial()
    {
        await GrantThenChangeAsync(ConsentTextKind.Editorial);

        var host = RenderWithProviders<TextChangeNotices>(p => p.Add(n => n.CustomerId, CustomerId));

        Assert.Empty(host.FindAll("#text-change-heading"));
        Assert.Empty(host.FindAll("button"));
    }

    [Fact]
    public async Task StatsTable_ShowsKeptWithdrewAndNotAnsweredPerVersion()
    {
        var v2 = await GrantThenChangeAsync(ConsentTextKind.Material);

        var stats = await Admin.GetStatsAsync();
        var host = Render<ConsentTextStatsTable>(p => p.Add(t => t.Stats, stats));

        var cells = host.FindAll($"tr[data-text-id='{v2.Id}'] td").Select(c => c.TextContent.Trim()).ToList();
        Assert.StartsWith("Material", cells[0], StringComparison.Ordinal);
        Assert.Equal(["0", "0", "0", "1", "0"], cells[2..]);
        Assert.Contains("Promotions (en) v2", host.Find($"tr[data-text-id='{v2.Id}'] th").TextContent, StringComparison.Ordinal);
    }

    private async Task<ConsentText> GrantThenChangeAsync(ConsentTextKind kind)
    {
        await VerifyNumberAsync();
        var consents = Services.GetRequiredService<IConsentService>();
        Assert.Equal(ConsentChangeOutcome.Changed, (await consents.GrantAsync(CustomerId, Purpose.Promotions, PromotionsV1, Services.GetRequiredService<ClientContext>().Evidence(CustomerId))).Outcome);
        var draft = await Admin.CreateDraftAsync(new ConsentTextDraft(Purpose.Promotions, "en", kind, "Promotions", "Offers, new products and event invitations by text, at most 8 messages a month.", kind == ConsentTextKind.Material ? "Up to 8 texts a month." : null, null), "admin");
        return await Admin.PublishAsync(draft.Id, "admin");
    }

    private async Task<IRenderedComponent<ProvidersHost>> RenderAdminAsync()
    {
        var expected = (await Admin.ListAsync()).Count;
        var host = Render<ProvidersHost>(p => p.AddChildContent<ConsentTextAdminPanel>());
        host.WaitForAssertion(() => Assert.Empty(host.FindAll("[aria-label='Loading consent texts']")));
        Assert.Equal(expected, host.FindAll("tr[data-text-id]").Count);
        return host;
    }
}
