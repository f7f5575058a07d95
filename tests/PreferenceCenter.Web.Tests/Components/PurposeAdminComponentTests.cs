using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.Purposes;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>The admin's "Add a purpose" form (#19): bad input is named field by field and saves nothing.</summary>
public sealed class PurposeAdminComponentTests : PreferenceComponentTestContext
{
    [Fact]
    public async Task AddForm_NamesEveryEmptyFieldAndSavesNothing_WhenSubmittedEmpty()
    {
        var host = Render<ProvidersHost>(p => p.AddChildContent<PurposeAddForm>());
        var textsBefore = await CountTextsAsync();

        await host.ButtonAsync("Add purpose");

        Assert.Contains("Nothing was saved: correct the 11 fields marked below.", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Use a capital letter, then 2 to 32 letters or digits", host.Markup, StringComparison.Ordinal);
        Assert.Contains("Enter the Spanish name, e.g. Encuestas.", host.Markup, StringComparison.Ordinal);
        Assert.Equal(PurposeCatalog.Default.All, Services.GetRequiredService<PurposeRegistry>().All);
        Assert.Equal(textsBefore, await CountTextsAsync());
    }

    [Theory]
    [InlineData("PROMOTIONS", "already exists")]
    [InlineData("Surveys<script>", "Use a capital letter")]
    public async Task AddForm_RefusesTheKey_WhenTakenOrHostile(string key, string message)
    {
        var host = Render<ProvidersHost>(p => p.AddChildContent<PurposeAddForm>());
        await FillValidAsync(host);
        await host.FillAsync("Key", key);

        await host.ButtonAsync("Add purpose");

        Assert.Contains("Nothing was saved: correct the field marked below.", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Contains(message, host.Markup, StringComparison.Ordinal);
        Assert.Equal(2, Services.GetRequiredService<PurposeRegistry>().All.Count);
    }

    [Fact]
    public async Task AddForm_AddsThePurposeAndClearsItself_WhenEveryFieldIsFilled()
    {
        var host = Render<ProvidersHost>(p => p.AddChildContent<PurposeAddForm>());
        await FillValidAsync(host);

        await host.ButtonAsync("Add purpose");

        Assert.Empty(host.FindAll("[role=alert]"));
        Assert.Contains(Purpose.FromKey("Surveys"), Services.GetRequiredService<PurposeRegistry>().All);
        Assert.Equal(string.Empty, host.Find("input#" + host.FindAll("label").First(l => l.TextContent.Trim() == "Key").GetAttribute("for")).GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public async Task EditForm_SavesNewFrequencyAndNumber_AndTheConfirmationTextSaysIt()
    {
        var registry = Services.GetRequiredService<PurposeRegistry>();
        var promotions = registry.Current.Definition(Purpose.Promotions);
        var host = Render<ProvidersHost>(p => p.AddChildContent<PurposeAddForm>(f => f.Add(x => x.Editing, promotions)));
        // The key comes first and cannot be changed: the consent log refers to it.
        Assert.True(host.FindAll("input").First(i => i.GetAttribute("value") == "Promotions").HasAttribute("disabled"));

        await host.FillAsync("Message frequency in English", "up to 6 msgs/month");
        await host.FillAsync("Sending number (optional)", "+15005550012");
        await host.ButtonAsync("Save changes");

        Assert.Empty(host.FindAll("[role=alert]"));
        Assert.Equal("up to 6 msgs/month", registry.Current.Definition(Purpose.Promotions).FrequencyEn);
        Assert.Equal("+15005550012", registry.SendingNumberFor(Purpose.Promotions));
        Assert.Contains("promotional texts, up to 6 msgs/month.", Services.GetRequiredService<PreferenceCenter.Infrastructure.Messaging.SmsTexts>().Subscribed("en", "Acme", Purpose.Promotions, null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditForm_SavesNothing_WhenANameIsEmptied()
    {
        var registry = Services.GetRequiredService<PurposeRegistry>();
        var host = Render<ProvidersHost>(p => p.AddChildContent<PurposeAddForm>(f => f.Add(x => x.Editing, registry.Current.Definition(Purpose.AccountAlerts))));

        await host.FillAsync("Name in Spanish", " ");
        await host.ButtonAsync("Save changes");

        Assert.Contains("Nothing was saved: correct the field marked below.", host.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Avisos de la cuenta", registry.Current.Definition(Purpose.AccountAlerts).NameEs);
    }

    private static async Task FillValidAsync(IRenderedComponent<ProvidersHost> host)
    {
        await host.FillAsync("Key", "Surveys");
        await host.FillAsync("Name in English", "Surveys");
        await host.FillAsync("Name in Spanish", "Encuestas");
        await host.FillAsync("How texts name it in English", "survey texts");
        await host.FillAsync("How texts name it in Spanish", "las encuestas");
        await host.FillAsync("Message frequency in English", "up to 2 msgs/month");
        await host.FillAsync("Message frequency in Spanish", "hasta 2 msjs/mes");
        await host.FillAsync("Checkbox label in English", "Surveys");
        await host.FillAsync("Wording in English", "Two short surveys a month. Reply STOP to opt out.");
        await host.FillAsync("Checkbox label in Spanish", "Encuestas");
        await host.FillAsync("Wording in Spanish", "Dos encuestas al mes. Responde STOP para darte de baja.");
    }

    private async Task<int> CountTextsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        return await db.ConsentTexts.CountAsync();
    }
}
