using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>Timing of the outgoing-text queue (ADR 0030). The defaults retry for about an hour; tests shorten nothing (they drive the dispatcher).</summary>
public sealed class TextQueueOptions : IValidatableObject
{
    public const string SectionName = "TextQueue";

    /// <summary>How often an idle dispatcher looks for due retries and texts another instance queued; a commit here wakes it at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait after the first failed attempt; it doubles after each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Attempts before a text is marked failed: 8 with the defaults span about an hour.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long a claimed text belongs to one dispatcher; longer than a provider call with its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < InitialRetryDelay)
        {
            yield return new ValidationResult("TextQueue:MaxRetryDelay must not be shorter than InitialRetryDelay.", [nameof(MaxRetryDelay)]);
        }
    }
}
