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
            // Purposes are data an admin can add to, so only the key's shape can be checked before the database is read.
            if (!Purpose.IsWellFormed(name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : name))
            {
                yield return new ValidationResult($"Sms:SendingNumbers:{name} is not a purpose key; keys look like Promotions or AccountAlerts.");
            }

            // Sending numbers may be short codes' long-number twins or test numbers libphonenumber rejects: check the E.164 shape only.
            else if (number is not null && !System.Text.RegularExpressions.Regex.IsMatch(number, @"^\+[1-9][0-9]{6,14}$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100)))
            {
                yield return new ValidationResult($"Sms:SendingNumbers:{name} must be an E.164 number like +15005550006.");
            }
        }
    }

    /// <summary>The number set for a purpose here; a number set on the purpose itself wins (see PurposeRegistry).</summary>
    public string? SendingNumberFor(Purpose purpose) =>
        SendingNumbers.FirstOrDefault(n => string.Equals(n.Key, purpose.Key, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } number ? number : null;
}
