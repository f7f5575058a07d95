namespace PreferenceCenter.Domain.Messaging;

/// <summary>A text a customer sent us, kept once per provider message id so a retried delivery changes nothing.</summary>
public sealed class InboundSms
{
    private InboundSms()
    {
        MessageSid = string.Empty;
        FromE164 = string.Empty;
        ToE164 = string.Empty;
        Body = string.Empty;
        Outcome = string.Empty;
    }

    public long Id { get; private init; }

    public string MessageSid { get; private init; }

    public string FromE164 { get; private init; }

    public string ToE164 { get; private init; }

    public string Body { get; private init; }

    public SmsIntent Intent { get; private init; }

    /// <summary>What we did about it, in a few words (for support and audits).</summary>
    public string Outcome { get; private set; }

    public DateTimeOffset ReceivedAt { get; private init; }

    public static InboundSms Receive(string messageSid, string fromE164, string toE164, string body, SmsIntent intent, DateTimeOffset now) =>
        new()
        {
            MessageSid = messageSid,
            FromE164 = fromE164,
            ToE164 = toE164,
            Body = body.Length > 1600 ? body[..1600] : body,
            Intent = intent,
            ReceivedAt = now,
            Outcome = "received",
        };

    public void Record(string outcome) => Outcome = outcome;
}
