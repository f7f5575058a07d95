using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>The re-confirmation job: how often it looks for lapsed consents and customers to text about a change.</summary>
public sealed class ConsentTextOptions : IValidatableObject
{
    public const string SectionName = "ConsentTexts";

    /// <summary>How often one instance runs the job (lapse deadlines, SMS notices).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconfirmationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a run belongs to one instance; renewed after every batch.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consents looked at per batch.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// The customer's page linked from the SMS notice. Empty: <c>Sms:PublicBaseUrl</c> + <c>/preferences</c>; with
    /// neither, no notice is sent (and none is marked as sent) until one is configured.
    /// </summary>
    [Url]
    public string? PreferencesUrl { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PreferencesUrl is { Length: > 0 } url && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://localhost", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://127.0.0.1", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult("ConsentTexts:PreferencesUrl must be an https URL (http only for localhost).", [nameof(PreferencesUrl)]);
        }
    }
}
