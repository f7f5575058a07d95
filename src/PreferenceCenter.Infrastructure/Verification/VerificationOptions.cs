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

    [Range(1, 10_000)]
    public int MaxSendsPerIpPerHour { get; set; } = 20;

    [Range(1, 10_000)]
    public int MaxSendsPerPrefixPerHour { get; set; } = 30;

    /// <summary>ISO region codes codes may be sent to (e.g. GB, US); empty allows all.</summary>
    public IReadOnlyList<string> AllowedCountries { get; set; } = [];

    public VerificationPolicy ToPolicy() => new()
    {
        MaxSendsPerIpPerHour = MaxSendsPerIpPerHour,
        MaxSendsPerPrefixPerHour = MaxSendsPerPrefixPerHour,
        AllowedCountries = AllowedCountries,
        CodeLifetime = TimeSpan.FromMinutes(CodeLifetimeMinutes),
        MaxAttempts = MaxAttempts,
        ResendCooldown = TimeSpan.FromSeconds(ResendCooldownSeconds),
        MaxSendsPerNumberPerHour = MaxSendsPerNumberPerHour,
        MaxSendsPerCustomerPerHour = MaxSendsPerCustomerPerHour,
    };
}
