using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Messaging;

/// <summary>
/// A number that said STOP for a purpose, whoever owns it. Checked before every send, so a STOP from a number no
/// customer has verified still sticks. A later START (or a fresh verified web opt-in) lifts it.
/// </summary>
public sealed class SmsSuppression
{
    private SmsSuppression()
    {
        PhoneE164 = string.Empty;
        PhoneKey = string.Empty;
        Source = string.Empty;
    }

    public long Id { get; private init; }

    /// <summary>The number; empty once its owner's data was erased (the suppression then lives on by <see cref="PhoneKey"/>).</summary>
    public string PhoneE164 { get; private set; }

    /// <summary>Keyed hash of the number (server key), what every check looks up.</summary>
    public string PhoneKey { get; private init; }

    public Purpose Purpose { get; private init; }

    /// <summary>What created it, e.g. the inbound MessageSid.</summary>
    public string Source { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public DateTimeOffset? LiftedAt { get; private set; }

    public static SmsSuppression Create(string phoneE164, string phoneKey, Purpose purpose, string source, DateTimeOffset now) =>
        new() { PhoneE164 = phoneE164, PhoneKey = phoneKey, Purpose = purpose, Source = source, CreatedAt = now };

    public void Lift(DateTimeOffset now) => LiftedAt ??= now;
}
