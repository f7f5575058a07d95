namespace PreferenceCenter.Domain.Messaging;

/// <summary>What kind of text this is; providers and suppression rules treat them differently.</summary>
public enum SmsKind
{
    VerificationCode,
    Confirmation,
    AccountAlert,
    Promotion,
}

/// <summary>One text. <paramref name="FromE164"/> is the sending number (per purpose); null means the default sender.</summary>
public sealed record SmsMessage(string ToE164, string Body, SmsKind Kind, string? FromE164 = null);

/// <summary>Hands a text to whatever delivers it: the Development outbox, later a real provider.</summary>
public interface ISmsSender
{
    Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default);
}
