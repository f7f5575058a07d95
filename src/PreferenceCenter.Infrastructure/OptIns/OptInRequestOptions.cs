using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.OptIns;

/// <summary>Double opt-in by text (ADR 0034): how long a request waits for YES, how often others may ask, and the purposes' own keywords.</summary>
public sealed class OptInRequestOptions : IValidatableObject
{
    public const string SectionName = "OptInRequests";

    /// <summary>How long a YES counts after the request was sent.</summary>
    [Range(1, 168)]
    public int ConfirmWithinHours { get; set; } = 24;

    /// <summary>Requests by tills, agents and other systems per number in 30 days; the customer's own keywords never count.</summary>
    [Range(1, 10)]
    public int MaxPerNumberPer30Days { get; set; } = 3;

    /// <summary>
    /// A purpose's own join keywords (purpose key → words), e.g. <c>"Promotions": ["DEALS"]</c>; JOIN and SUBSCRIBE
    /// always work and ask for the purposes sent from the number texted.
    /// </summary>
    public Dictionary<string, List<string>> Keywords { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan ConfirmWithin => TimeSpan.FromHours(ConfirmWithinHours);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (purpose, words) in Keywords)
        {
            foreach (var word in words ?? [])
            {
                var canonical = SmsKeywords.Canonical(word);
                if (canonical.Length is 0 or > 20 || canonical.Contains(' ', StringComparison.Ordinal) || !string.Equals(canonical, word.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    yield return new ValidationResult($"OptInRequests:Keywords:{purpose}: '{word}' must be one word of letters and digits (at most 20).", [nameof(Keywords)]);
                }
                else if (SmsKeywords.Classify(canonical) != SmsIntent.None)
                {
                    yield return new ValidationResult($"OptInRequests:Keywords:{purpose}: '{word}' is already a keyword (STOP, START, YES, HELP, JOIN…).", [nameof(Keywords)]);
                }
                else if (!seen.Add(canonical))
                {
                    yield return new ValidationResult($"OptInRequests:Keywords: '{word}' belongs to more than one purpose.", [nameof(Keywords)]);
                }
            }
        }
    }
}
