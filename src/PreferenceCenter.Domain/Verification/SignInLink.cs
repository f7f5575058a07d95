namespace PreferenceCenter.Domain.Verification;

public enum SignInLinkKind
{
    /// <summary>Handed from the page's live connection to the browser right after a correct code: it sets the cookie.</summary>
    AfterCode,

    /// <summary>Sent in a text message: opening it proves the number as a code would.</summary>
    InText,
}

public enum SignInLinkOutcome
{
    SignedIn,
    Unknown,
    Expired,
    AlreadyUsed,
}

/// <summary>
/// A single-use, short-lived way into <c>/preferences</c> for one number. Only a hash of its token is kept, so a copy of
/// the database opens nobody's page.
/// </summary>
public sealed class SignInLink
{
    private SignInLink()
    {
        PhoneE164 = string.Empty;
        TokenHash = [];
    }

    public Guid Id { get; private init; }

    public SignInLinkKind Kind { get; private init; }

    public byte[] TokenHash { get; private init; }

    /// <summary>The number the link is bound to: it signs in whoever holds this number when it is opened.</summary>
    public string PhoneE164 { get; private init; }

    /// <summary>For <see cref="SignInLinkKind.AfterCode"/>, the customer the code proved; null for a link in a text.</summary>
    public Guid? CustomerId { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset ExpiresAt { get; private init; }

    public DateTimeOffset? UsedAt { get; private set; }

    public static SignInLink Issue(SignInLinkKind kind, byte[] tokenHash, string phoneE164, Guid? customerId, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A link must live for some time.");
        }

        return new SignInLink
        {
            Id = Guid.CreateVersion7(now),
            Kind = kind,
            TokenHash = tokenHash,
            PhoneE164 = phoneE164,
            CustomerId = customerId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    /// <summary>Spends the link: used once, and never after it expires.</summary>
    public SignInLinkOutcome Use(DateTimeOffset now)
    {
        if (UsedAt is not null)
        {
            return SignInLinkOutcome.AlreadyUsed;
        }

        if (now >= ExpiresAt)
        {
            return SignInLinkOutcome.Expired;
        }

        UsedAt = now;
        return SignInLinkOutcome.SignedIn;
    }
}
