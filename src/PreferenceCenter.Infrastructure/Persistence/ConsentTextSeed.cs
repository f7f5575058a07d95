using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>Version 1 of each purpose's wording. New wording is a new row, never an edit of these.</summary>
internal static class ConsentTextSeed
{
    private static readonly DateTimeOffset Published = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static ConsentText[] All { get; } =
    [
        ConsentText.Create(
            1,
            Purpose.AccountAlerts,
            "en",
            1,
            "Account alerts",
            "Texts about your account only: security codes, sign-in warnings, and payment or delivery updates. Up to 10 messages a month. Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
            Published),
        ConsentText.Create(
            2,
            Purpose.Promotions,
            "en",
            1,
            "Promotions",
            "Offers, new products and event invitations by text, at most 4 messages a month. Agreeing is not a condition of any purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
            Published),
    ];
}
