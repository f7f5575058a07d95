using Microsoft.Extensions.Localization;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>One plain sentence for every state of the code flow, in the page's language.</summary>
internal static class VerificationMessages
{
    public static string For(IStringLocalizer<PreferencesStrings> l, SendDecision decision) => decision.Refusal switch
    {
        SendRefusal.Cooldown => l["Send_Cooldown", Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds))],
        SendRefusal.NumberHourlyCap => l["Send_NumberHourlyCap", Minutes(l, decision.RetryAfter)],
        SendRefusal.CustomerHourlyCap => l["Send_CustomerHourlyCap", Minutes(l, decision.RetryAfter)],
        SendRefusal.CountryNotAllowed => l["Send_CountryNotAllowed"],
        SendRefusal.IpHourlyCap or SendRefusal.PrefixHourlyCap => l["Send_Busy", Minutes(l, decision.RetryAfter)],
        _ => l["Send_Sent"],
    };

    public static string For(IStringLocalizer<PreferencesStrings> l, VerifyCodeResult result) => result.Outcome switch
    {
        VerifyOutcome.WrongCode => result.AttemptsLeft == 1 ? l["Verify_WrongCodeOne"] : l["Verify_WrongCodeMany", result.AttemptsLeft],
        VerifyOutcome.TooManyAttempts => l["Verify_TooManyAttempts"],
        VerifyOutcome.Expired => l["Verify_Expired"],
        VerifyOutcome.NoActiveCode => l["Verify_NoActiveCode"],
        _ => string.Empty,
    };

    private static string Minutes(IStringLocalizer<PreferencesStrings> l, TimeSpan span)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(span.TotalMinutes));
        return minutes == 1 ? l["OneMinute"] : l["Minutes", minutes];
    }
}
