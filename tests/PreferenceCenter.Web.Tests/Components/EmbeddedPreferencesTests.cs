using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Embedding;
using PreferenceCenter.Web.Features.Embedding;

namespace PreferenceCenter.Web.Tests.Components;

public sealed class EmbeddedPreferencesTests : PreferenceComponentTestContext
{
    private const string HostOrigin = "https://shop.example";

    [Fact]
    public async Task EmbeddedPreferences_RecordsEmbeddedMethodAndHostOrigin_AndTellsTheHost()
    {
        await VerifyNumberAsync();
        var session = new EmbedSession("shop", "Example Shop", CustomerId, HostOrigin, "#00695c", "https://shop.example/logo.png", false);

        var cut = Render<EmbeddedPreferences>(p => p.Add(c => c.Session, session));
        cut.WaitForState(() => cut.FindAll("input[type=checkbox]").Count == 2);
        await cut.FindAll("input[type=checkbox]")[1].ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        await using var db = await OpenAsync();
        var grant = await db.ConsentEvents.SingleAsync(e => e.CustomerId == CustomerId);
        Assert.Equal(("embedded:shop", HostOrigin, Purpose.Promotions), (grant.Method, grant.Origin, grant.Purpose));
        Assert.Equal(2, await db.ConsentTextImpressions.CountAsync(i => i.CustomerId == CustomerId && i.Method == "embedded:shop" && i.Origin == HostOrigin));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "notify" && i.Arguments[1] is "consent-changed");
        Assert.Contains("Choose which texts Example Shop may send", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("alt=\"Example Shop\"", cut.Markup, StringComparison.Ordinal);

        // No account here, so no links into the signed-in site's receipts or downloads.
        Assert.DoesNotContain("preferences/receipts", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("history.json", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("DeletePersonalData", cut.Markup, StringComparison.Ordinal);
    }
}
