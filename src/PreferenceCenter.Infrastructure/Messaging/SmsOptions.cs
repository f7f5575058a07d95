using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    [Required]
    [RegularExpression("^Outbox$", ErrorMessage = "Sms:Provider must be 'Outbox' (a real provider arrives with the SMS channel work).")]
    public string Provider { get; set; } = "Outbox";
}
