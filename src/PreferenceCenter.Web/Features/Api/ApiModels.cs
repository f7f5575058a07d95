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

/// <summary>
/// One row of <c>POST /api/v1/import</c>: a consent decision another system recorded, with its original time and
/// the evidence it has. Give the text shown as <c>consentTextId</c> or as <c>consentTextVersion</c> (+ <c>language</c>).
/// </summary>
public sealed record ApiImportRow(
    string? Phone,
    string? Purpose,
    string? Action,
    string? OccurredAt,
    int? ConsentTextId,
    int? ConsentTextVersion,
    string? Language,
    string? Source,
    string? IpAddress,
    string? UserAgent)
{
    public ConsentImportInput ToInput() => new(Phone, Purpose, Action, OccurredAt, ConsentTextId, ConsentTextVersion, Language, Source, IpAddress, UserAgent);
}

/// <summary>What happened to one row (<c>row</c> is 1-based, in the order sent); <c>suppressed</c>: recorded, but the number texted STOP.</summary>
public sealed record ApiImportRowResult(int Row, Guid? CustomerId, string Phone, string Purpose, string Action, string Outcome, long? Sequence, bool Suppressed);

/// <summary>The answer to an imported batch: every row was saved, in one transaction.</summary>
public sealed record ApiImportResult(Guid BatchId, int Rows, int Recorded, int Unchanged, int CustomersCreated, IReadOnlyList<ApiImportRowResult> Results)
{
    public static ApiImportResult From(ConsentImportReport report) => new(
        report.BatchId,
        report.Rows,
        report.Accepted.Count(r => r.Outcome == ConsentImportRowOutcome.Recorded),
        report.Accepted.Count(r => r.Outcome == ConsentImportRowOutcome.Unchanged),
        report.CustomersCreated,
        report.Accepted.Select(r => new ApiImportRowResult(r.Row, r.CustomerId, r.PhoneE164, r.Purpose.ToString(), r.Action.ToString(), r.Outcome.ToString(), r.Sequence, r.Suppressed)).ToList());
}

/// <summary>
/// The ProblemDetails of a refused import (a schema for the document; the answer is written by
/// <c>TypedResults.Problem</c>): a rejected batch adds its id, its row count and why each bad row cannot be imported.
/// </summary>
public sealed class ApiImportProblem
{
    public string? Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    public Guid? BatchId { get; init; }

    public int? Rows { get; init; }

    public IReadOnlyList<ApiImportRejection>? Rejected { get; init; }
}

/// <summary>Why one row (1-based, in the order sent) cannot be imported.</summary>
public sealed record ApiImportRejection(int Row, string Reason);
