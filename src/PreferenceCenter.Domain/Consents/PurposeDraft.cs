using System.Text.RegularExpressions;
using PreferenceCenter.Domain.Localization;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// What an admin typed to add a purpose: its names, how texts speak of it, and the first wording customers agree to
/// in each language (published with it, so the purpose is never on the page without words).
/// </summary>
public sealed record PurposeDraft(
    string? Key,
    string? NameEn,
    string? NameEs,
    string? PhraseEn,
    string? PhraseEs,
    string? FrequencyEn,
    string? FrequencyEs,
    bool Marketing,
    string? SendingNumber,
    string? LabelEn,
    string? BodyEn,
    string? LabelEs,
    string? BodyEs)
{
    /// <summary>Every problem by field name; empty when the purpose can be added.</summary>
    public IReadOnlyDictionary<string, string> Validate(PurposeCatalog existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new Dictionary<string, string>();
        var key = Key?.Trim();
        if (!Purpose.IsWellFormed(key))
        {
            errors[nameof(Key)] = "Use a capital letter, then 2 to 32 letters or digits in all, with no spaces, e.g. Surveys.";
        }
        else if (existing.TryParse(key, out var taken))
        {
            errors[nameof(Key)] = $"{taken} already exists; keys are compared without case.";
        }

        ValidateWords(errors);

        foreach (var (field, error) in FirstText(Languages.English).Validate(now, WithThis(existing)))
        {
            errors[field + "En"] = error;
        }

        foreach (var (field, error) in FirstText(Languages.Spanish).Validate(now, WithThis(existing)))
        {
            errors[field + "Es"] = error;
        }

        // Only the wording's own fields matter here: the purpose and kind are set by this form.
        errors.Remove("PurposeEn");
        errors.Remove("PurposeEs");
        return errors;
    }

    /// <summary>Every problem with an edit of an existing purpose's names, phrases, frequencies and number.</summary>
    public IReadOnlyDictionary<string, string> ValidateEdit()
    {
        var errors = new Dictionary<string, string>();
        ValidateWords(errors);
        return errors;
    }

    private void ValidateWords(Dictionary<string, string> errors)
    {
        Required(errors, nameof(NameEn), NameEn, PurposeDefinition.MaxNameLength, "Enter the English name, e.g. Surveys.");
        Required(errors, nameof(NameEs), NameEs, PurposeDefinition.MaxNameLength, "Enter the Spanish name, e.g. Encuestas.");
        Required(errors, nameof(PhraseEn), PhraseEn, PurposeDefinition.MaxPhraseLength, "Say how a text names it, e.g. survey texts.");
        Required(errors, nameof(PhraseEs), PhraseEs, PurposeDefinition.MaxPhraseLength, "Say how a Spanish text names it, e.g. las encuestas.");
        Required(errors, nameof(FrequencyEn), FrequencyEn, PurposeDefinition.MaxFrequencyLength, "Say how often you text, e.g. up to 2 msgs/month.");
        Required(errors, nameof(FrequencyEs), FrequencyEs, PurposeDefinition.MaxFrequencyLength, "Say it in Spanish, e.g. hasta 2 msjs/mes.");
        if (!string.IsNullOrWhiteSpace(SendingNumber) && !Regex.IsMatch(SendingNumber.Trim(), @"^\+[1-9][0-9]{6,14}$", RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            errors[nameof(SendingNumber)] = "Use an E.164 number like +15005550006, or leave it empty for the default sender.";
        }
    }

    /// <summary>Version 1 of the wording in <paramref name="language"/>.</summary>
    public ConsentTextDraft FirstText(string language) =>
        language == Languages.Spanish
            ? new ConsentTextDraft(Purpose.IsWellFormed(Key?.Trim()) ? Purpose.FromKey(Key!.Trim()) : default, language, ConsentTextKind.Material, LabelEs, BodyEs, FirstVersion, null)
            : new ConsentTextDraft(Purpose.IsWellFormed(Key?.Trim()) ? Purpose.FromKey(Key!.Trim()) : default, language, ConsentTextKind.Material, LabelEn, BodyEn, FirstVersion, null);

    // Never shown to a customer: a change notice compares with an earlier version, and the first has none.
    private const string FirstVersion = "First version.";

    // The first version of a text is judged as if its purpose already existed.
    private PurposeCatalog WithThis(PurposeCatalog existing) =>
        Purpose.IsWellFormed(Key?.Trim()) && !existing.Contains(Purpose.FromKey(Key!.Trim()))
            ? new PurposeCatalog([.. existing.Definitions, PurposeDefinition.Create(this with { NameEn = NameEn ?? "-", NameEs = NameEs ?? "-", PhraseEn = PhraseEn ?? "-", PhraseEs = PhraseEs ?? "-", FrequencyEn = FrequencyEn ?? "-", FrequencyEs = FrequencyEs ?? "-" }, int.MaxValue, DateTimeOffset.UnixEpoch)])
            : existing;

    // Names and phrases are one line: unlike consent wording, they may not hold line breaks or other control characters.
    private static void Required(Dictionary<string, string> errors, string field, string? value, int max, string missing)
    {
        ConsentTextDraft.Required(errors, field, value, max, missing);
        if (!errors.ContainsKey(field) && value!.Any(char.IsControl))
        {
            errors[field] = "Use plain text without control characters.";
        }
    }
}
