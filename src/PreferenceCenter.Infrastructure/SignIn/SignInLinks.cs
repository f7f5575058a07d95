using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Customers;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.SignIn;

/// <summary>What opening a link did: the account to sign in, or why not.</summary>
public sealed record LinkRedemption(SignInLinkOutcome Outcome, string? UserId = null, Guid? CustomerId = null);

/// <summary>
/// Single-use, short-lived links into <c>/preferences</c> (ADR 22): the hand-over from a correct code to the browser's
/// cookie, and the "manage" links in texts. The token is 128 random bits; only its SHA-256 is stored.
/// </summary>
public sealed partial class SignInLinks(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    IOptions<CustomerSignInOptions> options,
    IOptions<Phones.PhoneOptions> holding,
    IOptions<SmsOptions> sms,
    IOptions<ConsentTextOptions> consentTexts,
    Ledger.ConsentLedger ledger,
    TimeProvider clock,
    ILogger<SignInLinks> logger)
{
    /// <summary>The path a text's link opens; short, so the text stays one segment where the wording allows.</summary>
    public const string TextLinkPath = "/m/";

    /// <summary>Where links in texts point: <c>Sms:PublicBaseUrl</c>, else the origin of <c>ConsentTexts:PreferencesUrl</c>.</summary>
    public string? PublicBaseUrl =>
        sms.Value.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/')
        : consentTexts.Value.PreferencesUrl is { Length: > 0 } page && Uri.TryCreate(page, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority)
        : null;

    /// <summary>Adds a link to the caller's unit of work and returns its token (valid once the caller commits).</summary>
    internal string Issue(PreferenceCenterDbContext db, SignInLinkKind kind, string phoneE164, Guid? customerId, DateTimeOffset now)
    {
        var token = NewToken();
        var lifetime = kind == SignInLinkKind.AfterCode
            ? TimeSpan.FromSeconds(options.Value.AfterCodeLinkSeconds)
            : TimeSpan.FromHours(options.Value.LinkLifetimeHours);
        db.SignInLinks.Add(SignInLink.Issue(kind, Hash(token), phoneE164, customerId, now, lifetime));
        return token;
    }

    /// <summary>A manage link for a text to <paramref name="phoneE164"/>; null when no public address is configured.</summary>
    public async Task<string?> CreateTextLinkAsync(string phoneE164, CancellationToken cancellationToken = default)
    {
        if (PublicBaseUrl is null)
        {
            LogNoBaseUrl();
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = IssueTextLink(db, phoneE164, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }

    /// <summary>The same inside the caller's unit of work (valid once the caller commits).</summary>
    internal string? IssueTextLink(PreferenceCenterDbContext db, string phoneE164, DateTimeOffset now) =>
        PublicBaseUrl is { } baseUrl ? baseUrl + TextLinkPath + Issue(db, SignInLinkKind.InText, phoneE164, null, now) : null;

    /// <summary>
    /// Looks at a link from a text without spending it: whether it would still open, and the last two digits of its
    /// number (enough to recognise, too little to learn anything).
    /// </summary>
    public async Task<(SignInLinkOutcome Outcome, string? LastDigits)> PeekAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(token))
        {
            return (SignInLinkOutcome.Unknown, null);
        }

        var hash = Hash(token!);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = await db.SignInLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash && l.Kind == SignInLinkKind.InText, cancellationToken);
        return link switch
        {
            null => (SignInLinkOutcome.Unknown, null),
            { UsedAt: not null } => (SignInLinkOutcome.AlreadyUsed, null),
            _ when clock.GetUtcNow() >= link.ExpiresAt => (SignInLinkOutcome.Expired, null),
            _ => (SignInLinkOutcome.SignedIn, link.PhoneE164[^2..]),
        };
    }

    /// <summary>
    /// Spends a link. A link from a text proves its number as a code would, so it signs in the number's holder, or a new
    /// holder after a long silence (ADR 23).
    /// </summary>
    public async Task<LinkRedemption> RedeemAsync(string? token, SignInLinkKind kind, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(token))
        {
            return new LinkRedemption(SignInLinkOutcome.Unknown);
        }

        var hash = Hash(token!);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        var link = await db.SignInLinks.FirstOrDefaultAsync(l => l.TokenHash == hash && l.Kind == kind, cancellationToken);
        if (link is null)
        {
            return new LinkRedemption(SignInLinkOutcome.Unknown);
        }

        var outcome = link.Use(now);
        if (outcome != SignInLinkOutcome.SignedIn)
        {
            LogRefused(new MaskedPhone(link.PhoneE164), outcome);
            return new LinkRedemption(outcome);
        }

        Guid customerId;
        string? userId;
        if (link.CustomerId is { } proved)
        {
            customerId = proved;
            userId = await db.Customers.Where(c => c.Id == proved).Select(c => c.UserId).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            var holder = await NumberHolders.ProveAsync(db, tx.Writer, link.PhoneE164, now, TimeSpan.FromDays(holding.Value.HolderGapDays), cancellationToken);
            (customerId, userId) = (holder.CustomerId, holder.UserId);
        }

        if (userId is null)
        {
            // The customer erased their account after the link was made.
            return new LinkRedemption(SignInLinkOutcome.Unknown);
        }

        try
        {
            await tx.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Two tabs opened the same link at once: the other one spent it.
            return new LinkRedemption(SignInLinkOutcome.AlreadyUsed);
        }

        return new LinkRedemption(SignInLinkOutcome.SignedIn, userId, customerId);
    }

    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    // 16 bytes are 22 base64url characters: anything else was never one of ours, and is not worth a query.
    private static bool IsWellFormed(string? token) =>
        token is { Length: 22 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Sms:PublicBaseUrl or ConsentTexts:PreferencesUrl configured: texts go out without a manage link")]
    private partial void LogNoBaseUrl();

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link for {MaskedPhone} refused: {Outcome}")]
    private partial void LogRefused(MaskedPhone maskedPhone, SignInLinkOutcome outcome);
}
