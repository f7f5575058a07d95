using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>The SMS notice about a changed consent text: plain information, no marketing (kept together for localisation).</summary>
public static class ReconfirmationTexts
{
    public static string ChangeNotice(string businessName, Purpose purpose, string link) =>
        $"{businessName}: we have changed the terms for our {purpose.DisplayName().ToLowerInvariant()} texts. See what changed and choose to keep or stop them: {link} Reply STOP to opt out.";
}
