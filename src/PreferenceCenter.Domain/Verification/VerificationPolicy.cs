namespace PreferenceCenter.Domain.Verification;

/// <summary>Limits on SMS verification codes (Twilio Verify / NIST 800-63B / OWASP ASVS practice).</summary>
public sealed record VerificationPolicy
{
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    public int MaxAttempts { get; init; } = 5;

    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxSendsPerNumberPerHour { get; init; } = 5;

    public int MaxSendsPerCustomerPerHour { get; init; } = 10;

    /// <summary>SMS-pumping defence: codes requested from one IP address per hour.</summary>
    public int MaxSendsPerIpPerHour { get; init; } = 20;

    /// <summary>
    /// SMS-pumping defence: different requesters (IP addresses) per hour whose codes to one number range (country code
    /// + first digits) were never typed back; numbers already verified here are exempt (ADR 28).
    /// </summary>
    public int MaxSendsPerPrefixPerHour { get; init; } = 30;

    /// <summary>Regions (ISO codes) codes may be sent to; empty allows every region.</summary>
    public IReadOnlyCollection<string> AllowedCountries { get; init; } = [];

    /// <summary>How many leading characters of the E.164 form make a "range" for the prefix cap (e.g. +4477009).</summary>
    public const int PrefixLength = 8;
}
