using System.ComponentModel.DataAnnotations;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Infrastructure.Verification;

public sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    [Range(1, 60)]
    public int CodeLifetimeMinutes { get; set; } = 10;

    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    [Range(0, 600)]
    public int ResendCooldownSeconds { get; set; } = 30;

    [Range(1, 100)]
    public int MaxSendsPerNumberPerHour { get; set; } = 5;

    [Range(1, 100)]
    public int MaxSendsPerCustomerPerHour { get; set; } = 10;

    public VerificationPolicy ToPolicy() => new()
    {
        CodeLifetime = TimeSpan.FromMinutes(CodeLifetimeMinutes),
        MaxAttempts = MaxAttempts,
        ResendCooldown = TimeSpan.FromSeconds(ResendCooldownSeconds),
        MaxSendsPerNumberPerHour = MaxSendsPerNumberPerHour,
        MaxSendsPerCustomerPerHour = MaxSendsPerCustomerPerHour,
    };
}
