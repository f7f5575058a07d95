using Microsoft.Playwright;

namespace PreferenceCenter.EndToEnd.Tests.Pages;

/// <summary>/admin/consent-texts, by roles and labels.</summary>
public sealed class ConsentTextAdminPage(IPage page)
{
    public ILocator Preview => page.Locator("#consent-text-preview");

    public ILocator Status => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Published:" });

    public async Task OpenAsync()
    {
        await page.GotoAsync("admin/consent-texts");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Consent texts", Level = 1 }).WaitForAsync();
        await page.Locator(".mud-progress-linear").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Fills the new-draft form (Promotions, English and Material are its defaults) and saves it.</summary>
    public async Task SaveMaterialDraftAsync(string label, string wording, string whatChanged)
    {
        await page.GetByLabel("Label", new() { Exact = true }).FillAsync(label);
        await page.GetByLabel("Wording", new() { Exact = true }).FillAsync(wording);
        await page.GetByLabel("What changed (shown to customers)").FillAsync(whatChanged);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Draft saved" }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public async Task PreviewAsync(string draftName)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Preview the {draftName} draft" }).ClickAsync();
        await Preview.WaitForAsync();
    }

    public async Task PublishAsync(string draftName)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Publish the {draftName} draft" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Status.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }
}

/// <summary>The "terms changed" notice on the customer's page, by the names heard in the page's language.</summary>
public sealed class TextChangeNotice(IPage page, string language = "en")
{
    private bool Spanish => language == "es";

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = Spanish ? "Hemos cambiado lo que aceptaste" : "We have changed what you agreed to" });

    public ILocator Added => page.Locator(".text-change-card ins");

    public ILocator Removed => page.Locator(".text-change-card del");

    public ILocator Keep => page.GetByRole(AriaRole.Button, new() { Name = Spanish ? "Seguir recibiendo estos mensajes" : "Keep these texts" });

    public ILocator Withdraw => page.GetByRole(AriaRole.Button, new() { Name = Spanish ? "Dejar de recibir estos mensajes" : "Stop these texts" });

    public ILocator Status => page.GetByRole(AriaRole.Status).Filter(new() { HasText = Spanish ? "Guardado:" : "Saved:" });
}
