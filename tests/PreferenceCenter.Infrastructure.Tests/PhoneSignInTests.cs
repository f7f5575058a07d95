using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.SignIn;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Phone-first sign-in (ADR 22) and recycled numbers (ADR 23), on a real database and a fake clock.</summary>
public sealed class PhoneSignInTests
{
    private const string Number = "+447700900631";
    private const int PromotionsText = 2;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Sms:PublicBaseUrl"] = "https://prefs.example",
        ["Phone:HolderGapDays"] = "90",
        ["CustomerSignIn:LinkLifetimeHours"] = "24",
    };

    [Fact]
    public async Task SignIn_CreatesOneCustomerForTheNumber_AndSignsTheSameOneInAgain_WhenWithinTheGap()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);

        var first = await SignInAsync(database, Number);
        database.Clock.Advance(TimeSpan.FromDays(89));
        var again = await SignInAsync(database, Number);

        Assert.Equal(first, again);
        await using var db = await database.OpenAsync();
        var phone = await db.CustomerPhones.SingleAsync(p => p.PhoneE164 == Number);
        Assert.Equal((first, null), (phone.CustomerId, phone.ReplacedAt));
        var user = await db.Users.SingleAsync(u => db.Customers.Any(c => c.Id == first && c.UserId == u.Id));
        Assert.Null(user.Email);
        Assert.Null(user.PasswordHash);
    }

    [Fact]
    public async Task SignIn_OpensTheExistingAccount_OfACustomerWhoRegisteredWithEmail()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var registered = await database.CreateVerifiedCustomerAsync(Number, email: "early@example.test");
        Assert.Equal(ConsentChangeOutcome.Changed, (await database.Consents.GrantAsync(registered, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(registered))).Outcome);

        database.Clock.Advance(TimeSpan.FromDays(30));
        var signedIn = await SignInAsync(database, Number);

        Assert.Equal(registered, signedIn);
        Assert.True((await database.Consents.GetStatesAsync(signedIn)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        Assert.Single(await database.Consents.GetHistoryAsync(signedIn));
    }

    [Fact]
    public async Task SignIn_StartsANewHolderPeriod_WhenTheNumberWasSilentLongerThanTheGap()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var earlier = await SignInAsync(database, Number);
        var earlierPage = new ConsentEvidence(ConsentMethod.Web, $"customer:{earlier}", "198.51.100.23", "EarlierHolder/1.0", "en-GB");
        Assert.Equal(ConsentChangeOutcome.Changed, (await database.Consents.GrantAsync(earlier, Purpose.Promotions, PromotionsText, earlierPage)).Outcome);

        database.Clock.Advance(TimeSpan.FromDays(91));
        var newHolder = await SignInAsync(database, Number);

        // The new holder starts with nothing of the earlier holder's: no rows, no addresses, no ticked boxes.
        Assert.NotEqual(earlier, newHolder);
        Assert.Empty(await database.Consents.GetHistoryAsync(newHolder));
        Assert.All(await database.Consents.GetStatesAsync(newHolder), s => Assert.False(s.Granted));

        // Nobody is texted on the earlier holder's word: their consent is withdrawn by the system, with the reason.
        Assert.False((await database.Consents.GetStatesAsync(earlier)).Single(s => s.Purpose == Purpose.Promotions).Granted);
        var withdrawal = (await database.Consents.GetHistoryAsync(earlier))[0];
        Assert.Equal((ConsentAction.Revoked, ConsentReasons.NumberVerifiedByNewHolder), (withdrawal.Action, withdrawal.Reason));
        Assert.Equal("system", withdrawal.Method);
        await using var db = await database.OpenAsync();
        Assert.NotNull((await db.CustomerPhones.SingleAsync(p => p.CustomerId == earlier)).ReplacedAt);
    }

    [Fact]
    public async Task SignIn_KeepsTheHolder_WhenAManageLinkWasOpenedDuringTheGap()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var holder = await SignInAsync(database, Number);
        var links = database.Services.GetRequiredService<SignInLinks>();

        database.Clock.Advance(TimeSpan.FromDays(80));
        var opened = await links.RedeemAsync(TokenOf(await links.CreateTextLinkAsync(Number)), SignInLinkKind.InText);
        Assert.Equal((SignInLinkOutcome.SignedIn, holder), (opened.Outcome, opened.CustomerId));

        // 160 days after the code, but only 80 after the last sign of life.
        database.Clock.Advance(TimeSpan.FromDays(80));
        Assert.Equal(holder, await SignInAsync(database, Number));
    }

    [Fact]
    public async Task ManageLink_OpensOnce_ThenIsAlreadyUsed_AndAPeekSpendsNothing()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var holder = await SignInAsync(database, Number);
        var links = database.Services.GetRequiredService<SignInLinks>();
        var link = await links.CreateTextLinkAsync(Number);
        Assert.StartsWith("https://prefs.example/m/", link, StringComparison.Ordinal);

        Assert.Equal((SignInLinkOutcome.SignedIn, "31"), await links.PeekAsync(TokenOf(link)));
        Assert.Equal(holder, (await links.RedeemAsync(TokenOf(link), SignInLinkKind.InText)).CustomerId);
        Assert.Equal(SignInLinkOutcome.AlreadyUsed, (await links.RedeemAsync(TokenOf(link), SignInLinkKind.InText)).Outcome);
        Assert.Equal(SignInLinkOutcome.AlreadyUsed, (await links.PeekAsync(TokenOf(link))).Outcome);
    }

    [Fact]
    public async Task ManageLink_IsExpired_AfterItsLifetime()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        await SignInAsync(database, Number);
        var links = database.Services.GetRequiredService<SignInLinks>();
        var link = await links.CreateTextLinkAsync(Number);

        database.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        Assert.Equal(SignInLinkOutcome.Expired, (await links.RedeemAsync(TokenOf(link), SignInLinkKind.InText)).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../../etc/passwd______")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA\u0000")]
    public async Task ManageLink_IsUnknown_WhenTheTokenWasNeverIssued(string? token)
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var links = database.Services.GetRequiredService<SignInLinks>();

        Assert.Equal(SignInLinkOutcome.Unknown, (await links.RedeemAsync(token, SignInLinkKind.InText)).Outcome);
        Assert.Equal(SignInLinkOutcome.Unknown, (await links.PeekAsync(token)).Outcome);
    }

    [Fact]
    public async Task AfterCodeToken_CannotBeUsedAsATextLink()
    {
        await using var database = await TestDatabase.CreateAsync(Settings);
        var flow = Guid.NewGuid();
        Assert.True((await database.Verification.SendSignInCodeAsync(flow, PhoneNumber.FromE164(Number))).Sent);
        var verified = await database.Verification.VerifySignInAsync(flow, await database.LatestCodeToAsync(Number));
        var links = database.Services.GetRequiredService<SignInLinks>();

        Assert.Equal(SignInLinkOutcome.Unknown, (await links.RedeemAsync(verified.LinkToken, SignInLinkKind.InText)).Outcome);
        Assert.Equal(SignInLinkOutcome.SignedIn, (await links.RedeemAsync(verified.LinkToken, SignInLinkKind.AfterCode)).Outcome);
    }

    /// <summary>What the preferences page does: a code to the number, typed back, then the short-lived link it returns.</summary>
    private static async Task<Guid> SignInAsync(TestDatabase database, string e164)
    {
        var flow = Guid.NewGuid();
        var sent = await database.Verification.SendSignInCodeAsync(flow, PhoneNumber.FromE164(e164));
        Assert.True(sent.Sent, sent.Decision.Refusal.ToString());
        var verified = await database.Verification.VerifySignInAsync(flow, await database.LatestCodeToAsync(e164));
        Assert.Equal(VerifyOutcome.Verified, verified.Result.Outcome);
        var redeemed = await database.Services.GetRequiredService<SignInLinks>().RedeemAsync(verified.LinkToken, SignInLinkKind.AfterCode);
        Assert.Equal(SignInLinkOutcome.SignedIn, redeemed.Outcome);
        return redeemed.CustomerId!.Value;
    }

    private static string TokenOf(string? link) => new Uri(link!).AbsolutePath[SignInLinks.TextLinkPath.Length..];
}
