namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>A named lease on a background job: one instance runs it at a time, another takes over when it lapses.</summary>
public sealed class JobLease
{
    public string Name { get; private init; } = string.Empty;

    public string Owner { get; private set; } = string.Empty;

    public DateTimeOffset LeaseUntil { get; private set; }

    public static JobLease Create(string name, string owner, DateTimeOffset until) =>
        new() { Name = name, Owner = owner, LeaseUntil = until.ToUniversalTime() };
}
