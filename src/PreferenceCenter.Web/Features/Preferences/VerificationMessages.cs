using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>One plain sentence for every state of the code flow.</summary>
internal static class VerificationMessages
{
    public static string For(SendDecision decision) => decision.Refusal switch
    {
        SendRefusal.Cooldown => $"Please wait {Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds))} seconds before asking for another code.",
        SendRefusal.NumberHourlyCap => $"Too many codes were sent to this number in the last hour. Try again in {Minutes(decision.RetryAfter)}.",
        SendRefusal.CustomerHourlyCap => $"You have asked for too many codes in the last hour. Try again in {Minutes(decision.RetryAfter)}.",
        SendRefusal.CountryNotAllowed => "Sorry, we cannot send texts to numbers in that country. Use a mobile number from a country we serve.",
        SendRefusal.IpHourlyCap or SendRefusal.PrefixHourlyCap => $"We are receiving unusually many code requests. Please try again in {Minutes(decision.RetryAfter)}.",
        _ => "A code was sent.",
    };

    public static string For(VerifyCodeResult result) => result.Outcome switch
    {
        VerifyOutcome.WrongCode => $"That code is not right. {result.AttemptsLeft} {(result.AttemptsLeft == 1 ? "attempt" : "attempts")} left.",
        VerifyOutcome.TooManyAttempts => "Too many wrong attempts: this code no longer works. Press Send code to get a new one.",
        VerifyOutcome.Expired => "This code has expired. Press Send code to get a new one.",
        VerifyOutcome.NoActiveCode => "There is no code waiting for this number. Press Send code first.",
        _ => string.Empty,
    };

    private static string Minutes(TimeSpan span)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(span.TotalMinutes));
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
