using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>Delivery timing. The defaults retry for about a day; tests shorten everything.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>How long a receiver has to answer one delivery.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failed attempt; it doubles after each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts (before ±20 % jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Attempts before a delivery is dead-lettered: 15 with the defaults spans about 24 hours.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 15;

    /// <summary>How often an idle dispatcher looks for new events and due retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed delivery belongs to one dispatcher; longer than a request, so no other instance resends it meanwhile.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries claimed (and sent concurrently) at a time.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// Off (the default): receivers must be on the internet; loopback, private, link-local (cloud metadata),
    /// unique-local, CGNAT, multicast and reserved addresses are refused when the dispatcher connects and, written
    /// as literal addresses, when an admin registers them. On only for development and tests, whose receivers listen
    /// on 127.0.0.1 (ADR 25).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration <= RequestTimeout + TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Webhooks:LeaseDuration must be longer than RequestTimeout plus a second.", [nameof(LeaseDuration)]);
        }

        if (MaxRetryDelay < InitialRetryDelay)
        {
            yield return new ValidationResult("Webhooks:MaxRetryDelay must not be shorter than InitialRetryDelay.", [nameof(MaxRetryDelay)]);
        }
    }
}
