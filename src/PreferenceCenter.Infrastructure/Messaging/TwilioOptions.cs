using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// Twilio Messages API settings (section <c>Sms:Twilio</c>). AccountSid and AuthToken come from user secrets or the
/// environment (<c>Sms__Twilio__AuthToken</c>), never from a committed file.
/// </summary>
public sealed class TwilioOptions : IValidatableObject
{
    public const string SectionName = "Sms:Twilio";

    /// <summary>The account SID: <c>AC</c> and 32 hex digits. Used in the URL path and as the Basic auth user name.</summary>
    [Required]
    [RegularExpression("^AC[0-9a-fA-F]{32}$", ErrorMessage = "Sms:Twilio:AccountSid must be a Twilio account SID: AC followed by 32 hex digits.")]
    public string AccountSid { get; set; } = string.Empty;

    [Required]
    public string AuthToken { get; set; } = string.Empty;

    [Required]
    [Url]
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>The sending number when <c>SmsMessage.FromE164</c> is null.</summary>
    [Required]
    [RegularExpression(@"^\+[1-9][0-9]{1,14}$", ErrorMessage = "Sms:Twilio:DefaultFromE164 must be an E.164 number like +15005550006.")]
    public string DefaultFromE164 { get; set; } = string.Empty;

    /// <summary>How long one HTTP attempt may take. A timed-out attempt is never retried: Twilio may have sent the text.</summary>
    [Range(1, 120)]
    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>The budget for one send, all attempts and backoff delays included.</summary>
    [Range(1, 600)]
    public int TotalTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first attempt, only for answers that prove the text was not accepted (429, 5xx, no connection).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; later ones grow exponentially, with jitter. A Retry-After header takes precedence.</summary>
    [Range(0, 60_000)]
    public int RetryBaseDelayMilliseconds { get; set; } = 1_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeoutSeconds < AttemptTimeoutSeconds)
        {
            yield return new ValidationResult(
                "Sms:Twilio:TotalTimeoutSeconds must be at least AttemptTimeoutSeconds.",
                [nameof(TotalTimeoutSeconds), nameof(AttemptTimeoutSeconds)]);
        }

        // The auth token travels in every request: plain HTTP only to a local stub, never over the network.
        if (Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            yield return new ValidationResult("Sms:Twilio:BaseUrl must use https (plain http is allowed only for a loopback address).", [nameof(BaseUrl)]);
        }
    }
}
