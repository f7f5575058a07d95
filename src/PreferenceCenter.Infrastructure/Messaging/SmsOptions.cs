using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed class SmsOptions : IValidatableObject
{
    public const string SectionName = "Sms";

    [Required]
    [RegularExpression("^(Outbox|Twilio)$", ErrorMessage = "Sms:Provider must be 'Outbox' or 'Twilio'.")]
    public string Provider { get; set; } = "Outbox";

    /// <summary>
    /// The number each purpose's texts come from, keyed by purpose (<c>Sms:SendingNumbers:Promotions</c>); they may be
    /// the same. STOP to a number stops its purposes.
    /// </summary>
    public Dictionary<string, string?> SendingNumbers { get; set; } = [];

    /// <summary>The public base URL (scheme, host, path base) webhooks are signed for, when the app sits behind a proxy.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    [Required]
    public string BusinessName { get; set; } = "PreferenceCenter";

    /// <summary>Where HELP points people (a phone number, email or URL).</summary>
    [Required]
    public string SupportContact { get; set; } = "support@example.com";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, number) in SendingNumbers)
        {
            if (!Enum.TryParse<Purpose>(name, ignoreCase: true, out var purpose) || !Purposes.All.Contains(purpose))
            {
                yield return new ValidationResult($"Sms:SendingNumbers:{name} is not a purpose; use one of {string.Join(", ", Purposes.All)}.");
            }

            // Sending numbers may be short codes' long-number twins or test numbers libphonenumber rejects: check the E.164 shape only.
            else if (number is not null && !System.Text.RegularExpressions.Regex.IsMatch(number, @"^\+[1-9][0-9]{6,14}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100)))
            {
                yield return new ValidationResult($"Sms:SendingNumbers:{name} must be an E.164 number like +15005550006.");
            }
        }
    }

    public string? SendingNumberFor(Purpose purpose) =>
        SendingNumbers.FirstOrDefault(n => string.Equals(n.Key, purpose.ToString(), StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } number ? number : null;

    /// <summary>The purposes whose texts come from <paramref name="toE164"/>; all of them if it is none of ours.</summary>
    public IReadOnlyList<Purpose> PurposesSentFrom(string toE164)
    {
        var mine = Purposes.All.Where(p => SendingNumberFor(p) == toE164).ToList();
        return mine.Count > 0 ? mine : Purposes.All;
    }
}
