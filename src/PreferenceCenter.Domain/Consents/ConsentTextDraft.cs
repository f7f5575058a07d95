using System.Text.RegularExpressions;

namespace PreferenceCenter.Domain.Consents;

/// <summary>What an admin typed for a new or edited draft, before it is checked.</summary>
public sealed record ConsentTextDraft(
    Purpose Purpose,
    string Language,
    ConsentTextKind Kind,
    string? Label,
    string? Body,
    string? ChangeSummary,
    DateTimeOffset? ReconfirmBy)
{
    public string NormalisedLanguage => (Language ?? string.Empty).Trim().ToLowerInvariant();

    /// <summary>Every problem by field name (<c>Label</c>, <c>Body</c>, <c>ChangeSummary</c>, <c>ReconfirmBy</c>, <c>Language</c>); empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate(DateTimeOffset now, PurposeCatalog purposes)
    {
        ArgumentNullException.ThrowIfNull(purposes);
        var errors = new Dictionary<string, string>();
        if (!purposes.Contains(Purpose))
        {
            errors[nameof(Purpose)] = "Choose a purpose.";
        }

        if (!Regex.IsMatch(NormalisedLanguage, "^[a-z]{2}$", RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            errors[nameof(Language)] = "Choose a two-letter language, e.g. en.";
        }

        Required(errors, nameof(Label), Label, ConsentText.MaxLabelLength, "Enter the checkbox label customers will tick.");
        Required(errors, nameof(Body), Body, ConsentText.MaxBodyLength, "Enter the explanation shown under the label.");
        if (Kind == ConsentTextKind.Material && string.IsNullOrWhiteSpace(ChangeSummary))
        {
            errors[nameof(ChangeSummary)] = "Say in a sentence what changed: customers read it before they keep or withdraw.";
        }
        else if (ChangeSummary?.Trim().Length > ConsentText.MaxChangeSummaryLength)
        {
            errors[nameof(ChangeSummary)] = $"Use at most {ConsentText.MaxChangeSummaryLength} characters.";
        }

        if (!Enum.IsDefined(Kind))
        {
            errors[nameof(Kind)] = "Choose material or editorial.";
        }

        if (ReconfirmBy is { } deadline && Kind == ConsentTextKind.Material)
        {
            if (!purposes.Lapses(Purpose))
            {
                errors[nameof(ReconfirmBy)] = $"{purposes.DisplayName(Purpose)} consents never lapse. Leave the deadline empty.";
            }
            else if (deadline <= now)
            {
                errors[nameof(ReconfirmBy)] = "The deadline must be in the future.";
            }
        }

        return errors;
    }

    internal static void Required(Dictionary<string, string> errors, string field, string? value, int max, string missing)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            errors[field] = missing;
        }
        else if (trimmed.Length > max)
        {
            errors[field] = $"Use at most {max} characters.";
        }
    }
}

/// <summary>A draft that cannot be saved or published as it is; <see cref="Errors"/> says what to fix, field by field.</summary>
public sealed class ConsentTextDraftException : Exception
{
    public ConsentTextDraftException()
        : this(new Dictionary<string, string>())
    {
    }

    public ConsentTextDraftException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string>();
    }

    public ConsentTextDraftException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string>();
    }

    public ConsentTextDraftException(IReadOnlyDictionary<string, string> errors)
        : base("The consent text draft is not valid: " + string.Join(" ", errors.Values))
    {
        Errors = errors;
    }

    public IReadOnlyDictionary<string, string> Errors { get; }

    public static void ThrowIfInvalid(IReadOnlyDictionary<string, string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ConsentTextDraftException(errors);
        }
    }
}
