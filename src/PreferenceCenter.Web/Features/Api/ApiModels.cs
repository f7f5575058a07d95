using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>One ledger event as the API shows it (no IP or user agent: those stay evidence for audits).</summary>
public sealed record ApiEvent(
    long Sequence,
    Guid CustomerId,
    string Phone,
    string Purpose,
    string Action,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Method,
    string Actor,
    int ConsentTextId,
    string? TextSha256,
    string? Reason,
    string? Hash)
{
    public static ApiEvent From(ConsentEvent e) => new(
        e.Sequence, e.CustomerId, e.PhoneE164, e.Purpose.ToString(), e.Action.ToString(), e.OccurredAt, e.RecordedAt, e.Method, e.Actor, e.ConsentTextId, e.TextSha256, e.Reason, e.Hash);
}

/// <summary>Current consent for one purpose, answered by replaying the ledger, with the event that decided it.</summary>
public sealed record ApiConsent(string Purpose, bool Granted, ApiEvent? DecidingEvent);

public sealed record ApiCustomerConsents(Guid CustomerId, IReadOnlyList<ApiConsent> Consents);

public sealed record ApiCheck(string Phone, string Purpose, bool Allowed);

public sealed record ApiRevokeResult(Guid CustomerId, string Purpose, string Outcome, ApiEvent? Event);

public sealed record ApiChanges(IReadOnlyList<ApiEvent> Events, string NextCursor, bool HasMore);
