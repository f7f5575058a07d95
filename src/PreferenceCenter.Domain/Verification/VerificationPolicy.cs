namespace PreferenceCenter.Domain.Verification;

/// <summary>Limits on SMS verification codes (Twilio Verify / NIST 800-63B / OWASP ASVS practice).</summary>
public sealed record VerificationPolicy
{
    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    public int MaxAttempts { get; init; } = 5;

    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxSendsPerNumberPerHour { get; init; } = 5;

    public int MaxSendsPerCustomerPerHour { get; init; } = 10;
}
