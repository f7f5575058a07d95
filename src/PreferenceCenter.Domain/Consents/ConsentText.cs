using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// The exact wording a customer is asked to agree to, versioned per purpose and language. Starts as a draft an admin
/// may edit or discard; immutable once published (here, in the DbContext and by a database trigger): a change of
/// wording is a new version, and publishing one never edits an old one.
/// </summary>
public sealed class ConsentText
{
    public const int MaxLabelLength = 100;
    public const int MaxBodyLength = 2000;
    public const int MaxChangeSummaryLength = 500;

    private ConsentText()
    {
        Language = string.Empty;
        Label = string.Empty;
        Body = string.Empty;
    }

    public int Id { get; private init; }

    public Purpose Purpose { get; private init; }

    /// <summary>Two-letter ISO language, e.g. <c>en</c>.</summary>
    public string Language { get; private init; }

    /// <summary>1, 2, 3… per purpose and language once published; 0 while a draft (one draft per purpose and language).</summary>
    public int Version { get; private set; }

    /// <summary>The checkbox label.</summary>
    public string Label { get; private set; }

    /// <summary>The plain-language explanation shown under the label.</summary>
    public string Body { get; private set; }

    /// <summary>When it was published; for a draft, when the draft was last saved.</summary>
    public DateTimeOffset PublishedAt { get; private set; }

    /// <summary>Material changes ask customers who agreed to an older version to keep or withdraw; editorial ones do not.</summary>
    public ConsentTextKind Kind { get; private set; }

    public ConsentTextStatus Status { get; private set; }

    /// <summary>What changed, in a sentence or two customers read in the notice (required for material changes).</summary>
    public string? ChangeSummary { get; private set; }

    /// <summary>
    /// Material promotions changes only: after this instant consents not re-confirmed lapse (revoked by the system).
    /// Account alerts never lapse (ADR 0016).
    /// </summary>
    public DateTimeOffset? ReconfirmBy { get; private set; }

    public bool IsPublished => Status == ConsentTextStatus.Published;

    /// <summary>Exactly what the page renders for this version: the label, a line feed, the body.</summary>
    public string RenderedText => Render(Label, Body);

    /// <summary>Lowercase hex SHA-256 of <see cref="RenderedText"/> in UTF-8; events commit to it.</summary>
    public string TextSha256 => Sha256Of(Label, Body);

    /// <summary><see cref="TextSha256"/> from the stored columns, for readers that do not materialise the entity.</summary>
    public static string Sha256Of(string label, string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Render(label, body))));

    private static string Render(string label, string body) => label + "\n" + body;

    /// <summary>A published version as it is stored (seed data, tests).</summary>
    public static ConsentText Create(int id, Purpose purpose, string language, int version, string label, string body, DateTimeOffset publishedAt, ConsentTextKind kind = ConsentTextKind.Material, string? changeSummary = null, DateTimeOffset? reconfirmBy = null) =>
        new()
        {
            Id = id,
            Purpose = purpose,
            Language = language,
            Version = version,
            Label = label,
            Body = body,
            PublishedAt = publishedAt,
            Kind = kind,
            Status = ConsentTextStatus.Published,
            ChangeSummary = changeSummary,
            ReconfirmBy = reconfirmBy,
        };

    /// <summary>A new draft; throws <see cref="ConsentTextDraftException"/> listing every field to fix.</summary>
    public static ConsentText CreateDraft(int id, ConsentTextDraft draft, DateTimeOffset now, PurposeCatalog purposes)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ConsentTextDraftException.ThrowIfInvalid(draft.Validate(now, purposes));
        var text = new ConsentText { Id = id, Purpose = draft.Purpose, Language = draft.NormalisedLanguage, Status = ConsentTextStatus.Draft };
        text.Apply(draft, now);
        return text;
    }

    /// <summary>Changes a draft's wording or details; purpose and language stay. A published version refuses.</summary>
    public void EditDraft(ConsentTextDraft draft, DateTimeOffset now, PurposeCatalog purposes)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ThrowIfPublished();
        if (draft.Purpose != Purpose || draft.NormalisedLanguage != Language)
        {
            throw new InvalidOperationException("A draft keeps its purpose and language; start a new draft for another.");
        }

        ConsentTextDraftException.ThrowIfInvalid(draft.Validate(now, purposes));
        Apply(draft, now);
    }

    /// <summary>Makes the draft the newest version. From here on nothing about it changes.</summary>
    public void Publish(int version, DateTimeOffset now, PurposeCatalog purposes)
    {
        ThrowIfPublished();
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);

        // The deadline was in the future when saved; it must still be when customers are first asked.
        ConsentTextDraftException.ThrowIfInvalid(AsDraft().Validate(now, purposes));
        Version = version;
        PublishedAt = now.ToUniversalTime();
        Status = ConsentTextStatus.Published;
    }

    public ConsentTextDraft AsDraft() => new(Purpose, Language, Kind, Label, Body, ChangeSummary, ReconfirmBy);

    public void ThrowIfPublished()
    {
        if (IsPublished)
        {
            throw new InvalidOperationException($"Version {Version} of the {Purpose} text ({Language}) is published and can never change; publish a new version instead.");
        }
    }

    private void Apply(ConsentTextDraft draft, DateTimeOffset now)
    {
        Label = draft.Label!.Trim();
        Body = draft.Body!.Trim();
        Kind = draft.Kind;
        ChangeSummary = string.IsNullOrWhiteSpace(draft.ChangeSummary) ? null : draft.ChangeSummary.Trim();
        ReconfirmBy = draft.Kind == ConsentTextKind.Material ? draft.ReconfirmBy?.ToUniversalTime() : null;
        PublishedAt = now.ToUniversalTime();
    }
}

public enum ConsentTextKind
{
    /// <summary>Wording only: existing consents stay valid, nobody is asked again.</summary>
    Editorial = 1,

    /// <summary>The use changes (more messages, new content, new sender): customers who agreed before are asked to keep or withdraw.</summary>
    Material = 2,
}

public enum ConsentTextStatus
{
    Draft = 1,
    Published = 2,
}
