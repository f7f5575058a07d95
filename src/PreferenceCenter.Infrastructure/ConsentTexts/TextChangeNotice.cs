namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>
/// "This customer was texted about this version's change": claimed (inserted, unique per customer and version)
/// before the text is handed to the gateway, so the notice goes out at most once across restarts and instances.
/// </summary>
public sealed class TextChangeNotice
{
    public long Id { get; private init; }

    public Guid CustomerId { get; private init; }

    public int ConsentTextId { get; private init; }

    public DateTimeOffset ClaimedAt { get; private init; }

    /// <summary>Null while claimed and not yet handed over (or the process died meanwhile: never retried).</summary>
    public TextChangeNoticeOutcome? Outcome { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public static TextChangeNotice Claim(Guid customerId, int consentTextId, DateTimeOffset now) =>
        new() { CustomerId = customerId, ConsentTextId = consentTextId, ClaimedAt = now.ToUniversalTime() };

    public void Complete(TextChangeNoticeOutcome outcome, DateTimeOffset now)
    {
        Outcome = outcome;
        CompletedAt = now.ToUniversalTime();
    }
}

public enum TextChangeNoticeOutcome
{
    /// <summary>Handed to the SMS provider.</summary>
    Sent = 1,

    /// <summary>The gateway refused: no current consent any more, or the number is suppressed (STOP).</summary>
    Refused = 2,

    /// <summary>The provider failed; not retried, so nobody is texted twice.</summary>
    Failed = 3,
}
