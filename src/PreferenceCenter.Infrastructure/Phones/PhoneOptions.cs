using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Infrastructure.Phones;

/// <summary>The <c>Phone</c> section: read here once, by the web pages, the API, the staff console and sign-in alike.</summary>
public sealed class PhoneOptions : IValidatableObject
{
    public const string SectionName = "Phone";

    /// <summary>Region used for numbers typed without a country code, and the picker's default.</summary>
    [Required]
    public string DefaultRegion { get; set; } = "US";

    /// <summary>A number proved after this many days with no verification, link or inbound text starts a new holder period (ADR 23).</summary>
    [Range(45, 3650)]
    public int HolderGapDays { get; set; } = Domain.Customers.NumberHolding.DefaultGapDays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PhoneNumber.IsSupportedRegion(DefaultRegion))
        {
            yield return new ValidationResult($"Phone:DefaultRegion '{DefaultRegion}' is not a region libphonenumber knows (use ISO codes like GB, US).", [nameof(DefaultRegion)]);
        }
    }
}
