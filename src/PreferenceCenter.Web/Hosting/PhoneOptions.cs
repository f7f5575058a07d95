using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Web.Hosting;

public sealed class PhoneOptions : IValidatableObject
{
    public const string SectionName = "Phone";

    /// <summary>Region used for numbers typed without a country code, and the picker's default.</summary>
    [Required]
    public string DefaultRegion { get; set; } = "US";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!PhoneNumber.IsSupportedRegion(DefaultRegion))
        {
            yield return new ValidationResult($"Phone:DefaultRegion '{DefaultRegion}' is not a region libphonenumber knows (use ISO codes like GB, US).", [nameof(DefaultRegion)]);
        }
    }
}
