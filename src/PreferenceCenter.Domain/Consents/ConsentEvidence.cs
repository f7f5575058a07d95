namespace PreferenceCenter.Domain.Consents;

/// <summary>What we can prove about who made a change and from where; copied onto every event it produces.</summary>
public sealed record ConsentEvidence(
    string Method,
    string Actor,
    string? IpAddress,
    string? UserAgent,
    string? Locale,
    string? Reason = null,
    string? Origin = null)
{
    public ConsentEvidence WithReason(string reason) => this with { Reason = reason };
}
