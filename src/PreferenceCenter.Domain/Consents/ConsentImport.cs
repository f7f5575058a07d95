using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Domain.Consents;

/// <summary>One row of a bulk import exactly as another system sent it: nothing checked yet.</summary>
public sealed record ConsentImportInput(
    string? Phone,
    string? Purpose,
    string? Action,
    string? OccurredAt,
    int? ConsentTextId,
    int? ConsentTextVersion,
    string? Language,
    string? Source,
    string? IpAddress,
    string? UserAgent);

/// <summary>A row that passed every check that needs no database: what the ledger will be asked to record.</summary>
public sealed record ConsentImportRow(
    int Row,
    string PhoneE164,
    Purpose Purpose,
    ConsentAction Action,
    DateTimeOffset OccurredAt,
    int ConsentTextId,
    string Source,
    string? IpAddress,
    string? UserAgent,
    string? Locale);

/// <summary>Why a row (1-based, in the order sent) cannot be imported.</summary>
public sealed record ConsentImportRejection(int Row, string Reason);

public enum ConsentImportRowOutcome
{
    /// <summary>A ledger event was appended.</summary>
    Recorded,

    /// <summary>The consent was already in that state (or a revoke with nothing to revoke): nothing was logged.</summary>
    Unchanged,
}

/// <summary>What happened to one accepted row.</summary>
public sealed record ConsentImportRowResult(
    int Row,
    Guid? CustomerId,
    string PhoneE164,
    Purpose Purpose,
    ConsentAction Action,
    ConsentImportRowOutcome Outcome,
    long? Sequence,
    bool Suppressed);

/// <summary>
/// The answer to a whole batch. All or nothing: with any rejection nothing was saved and <see cref="Accepted"/> is
/// empty; otherwise every row is in <see cref="Accepted"/>, in the order sent.
/// </summary>
public sealed record ConsentImportReport(
    Guid BatchId,
    int Rows,
    int CustomersCreated,
    IReadOnlyList<ConsentImportRowResult> Accepted,
    IReadOnlyList<ConsentImportRejection> Rejected)
{
    public bool Saved => Rejected.Count == 0;
}

/// <summary>The checks a bulk-import row must pass before it may touch the database.</summary>
public static partial class ConsentImportRules
{
    public const int MaxSourceLength = 100;
    public const int MaxUserAgentLength = 512;

    /// <summary>Older dates are typos (or "0001-01-01" placeholders), not consent records.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Checks one row; <paramref name="texts"/> are all consent text versions there are.</summary>
    public static bool TryValidate(
        int row,
        ConsentImportInput input,
        string? defaultRegion,
        DateTimeOffset now,
        IReadOnlyCollection<ConsentText> texts,
        PurposeCatalog purposes,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConsentImportRow? valid,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ConsentImportRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(purposes);
        var problems = new List<string>();

        PhoneNumber? phone = null;
        if (string.IsNullOrWhiteSpace(input.Phone))
        {
            problems.Add("phone: required");
        }
        else if (!PhoneNumber.TryParse(input.Phone, defaultRegion, out phone, out var phoneError))
        {
            // The number itself is not echoed: reports end up in logs and tickets.
            problems.Add($"phone: not a mobile number that can receive texts ({phoneError})");
        }

        Purpose? purpose = null;
        if (purposes.TryParse(input.Purpose, out var parsedPurpose))
        {
            purpose = parsedPurpose;
        }
        else
        {
            problems.Add($"purpose: one of {purposes.KeysText}");
        }

        ConsentAction? action = input.Action?.Trim().ToLowerInvariant() switch
        {
            "granted" => ConsentAction.Granted,
            "revoked" => ConsentAction.Revoked,
            _ => null,
        };
        if (action is null)
        {
            problems.Add("action: Granted or Revoked");
        }

        var occurredAt = OccurredAt(input.OccurredAt, now, problems);
        var language = string.IsNullOrWhiteSpace(input.Language) ? "en" : input.Language.Trim().ToLowerInvariant();
        var text = purpose is { } forPurpose ? Text(input, forPurpose, language, texts, problems) : null;

        var source = input.Source?.Trim();
        if (string.IsNullOrEmpty(source) || source.Length > MaxSourceLength || source.Any(char.IsControl))
        {
            problems.Add($"source: required, where the other system collected the consent (1 to {MaxSourceLength} characters)");
        }

        string? ip = null;
        if (!string.IsNullOrWhiteSpace(input.IpAddress))
        {
            if (IPAddress.TryParse(input.IpAddress.Trim(), out var address))
            {
                ip = address.ToString();
            }
            else
            {
                problems.Add("ipAddress: not an IPv4 or IPv6 address (leave it out when unknown)");
            }
        }

        var userAgent = string.IsNullOrWhiteSpace(input.UserAgent) ? null : input.UserAgent.Trim();
        if (userAgent is { Length: > MaxUserAgentLength })
        {
            problems.Add($"userAgent: at most {MaxUserAgentLength} characters");
        }

        if (problems.Count > 0)
        {
            valid = null;
            rejection = new ConsentImportRejection(row, string.Join("; ", problems));
            return false;
        }

        valid = new ConsentImportRow(row, phone!.E164, purpose!.Value, action!.Value, occurredAt!.Value, text!.Id, source!, ip, userAgent, input.Language is null ? null : language);
        rejection = null;
        return true;
    }

    /// <summary>
    /// Two rows for the same number and purpose at the same instant have no order; the later-sent one is rejected.
    /// Returns the rows in the order they are applied: by time, then as sent.
    /// </summary>
    public static IReadOnlyList<ConsentImportRow> InApplyOrder(IEnumerable<ConsentImportRow> rows, ICollection<ConsentImportRejection> rejected)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rejected);
        var ordered = rows.OrderBy(r => r.OccurredAt).ThenBy(r => r.Row).ToList();
        var seen = new HashSet<(string, Purpose, DateTimeOffset)>();
        var result = new List<ConsentImportRow>(ordered.Count);
        foreach (var row in ordered)
        {
            if (seen.Add((row.PhoneE164, row.Purpose, row.OccurredAt)))
            {
                result.Add(row);
            }
            else
            {
                rejected.Add(new ConsentImportRejection(row.Row, "occurredAt: another row has the same number, purpose and instant, so their order is unknown"));
            }
        }

        return result;
    }

    private static DateTimeOffset? OccurredAt(string? value, DateTimeOffset now, List<string> problems)
    {
        // An explicit offset is required: "10:00" without one is a different instant in every time zone.
        if (value is null || !IsoInstant().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            problems.Add("occurredAt: an ISO 8601 instant with its offset, e.g. 2025-03-01T10:15:00Z");
            return null;
        }

        if (instant > now)
        {
            problems.Add("occurredAt: in the future");
            return null;
        }

        if (instant < Earliest)
        {
            problems.Add($"occurredAt: before {Earliest:yyyy-MM-dd}");
            return null;
        }

        return instant.ToUniversalTime();
    }

    private static ConsentText? Text(ConsentImportInput input, Purpose purpose, string language, IReadOnlyCollection<ConsentText> texts, List<string> problems)
    {
        ConsentText? byId = null;
        if (input.ConsentTextId is { } id)
        {
            byId = texts.FirstOrDefault(t => t.Id == id);
            if (byId is null)
            {
                problems.Add($"consentTextId: there is no consent text {id}");
                return null;
            }

            if (byId.Purpose != purpose)
            {
                problems.Add($"consentTextId: text {id} is the {byId.Purpose} wording, not {purpose}");
                return null;
            }
        }

        if (input.ConsentTextVersion is not { } version)
        {
            if (byId is null)
            {
                problems.Add("consentTextId or consentTextVersion: required, the wording the customer was shown");
            }

            return byId;
        }

        var byVersion = texts.FirstOrDefault(t => t.Purpose == purpose && t.Language == language && t.Version == version);
        if (byVersion is null)
        {
            problems.Add($"consentTextVersion: there is no version {version} of the {purpose} text in '{language}'");
            return null;
        }

        if (byId is not null && byId.Id != byVersion.Id)
        {
            problems.Add($"consentTextVersion: text {byId.Id} is not version {version} in '{language}'");
            return null;
        }

        return byVersion;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();
}
