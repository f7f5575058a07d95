using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Localization;

namespace PreferenceCenter.Infrastructure.Localization;

/// <summary><c>Localization:*</c>: the language used when the customer chose none and their browser asks for none of ours.</summary>
public sealed class LanguageOptions : IValidatableObject
{
    public const string SectionName = "Localization";

    [Required]
    public string DefaultCulture { get; set; } = Languages.English;

    /// <summary>The default as one of <see cref="Languages.All"/>.</summary>
    public string DefaultLanguage => Languages.Match(DefaultCulture) ?? Languages.English;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Languages.Match(DefaultCulture) is null)
        {
            yield return new ValidationResult($"Localization:DefaultCulture must be one of: {string.Join(", ", Languages.All)}.", [nameof(DefaultCulture)]);
        }
    }
}
