namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// A material change a customer who agreed to <see cref="ConsentedTo"/> has not answered yet. They are asked about
/// <see cref="Latest"/> (the newest published version, which may add editorial touches after the material one), and
/// either answer points at it.
/// </summary>
public sealed record PendingTextChange(
    ConsentText ConsentedTo,
    ConsentText Latest,
    IReadOnlyList<string> Summaries,
    DateTimeOffset? LapsesAt)
{
    public Purpose Purpose => Latest.Purpose;

    /// <summary>The material version whose deadline decides <see cref="LapsesAt"/>, if any.</summary>
    public ConsentText? DeadlineVersion { get; init; }
}

/// <summary>The rules for what a newly published version asks of customers who agreed to an older one (ADR 0016).</summary>
public static class ConsentTextChanges
{
    /// <summary>
    /// The change an active consent under <paramref name="consentedTo"/> still has to answer: some published
    /// version of the same purpose and language, newer than it, is material. Null when every newer one is editorial.
    /// </summary>
    public static PendingTextChange? PendingFor(ConsentText consentedTo, IEnumerable<ConsentText> texts, PurposeCatalog purposes)
    {
        ArgumentNullException.ThrowIfNull(consentedTo);
        ArgumentNullException.ThrowIfNull(texts);
        var newer = texts
            .Where(t => t.IsPublished && t.Purpose == consentedTo.Purpose && t.Language == consentedTo.Language && t.Version > consentedTo.Version)
            .OrderBy(t => t.Version)
            .ToList();
        var material = newer.Where(t => t.Kind == ConsentTextKind.Material).ToList();
        if (material.Count == 0)
        {
            return null;
        }

        // A purpose that never lapses ignores whatever a row says (the draft rules refuse such a deadline too).
        var deadline = purposes.Lapses(consentedTo.Purpose)
            ? material.Where(t => t.ReconfirmBy is not null).MinBy(t => t.ReconfirmBy)
            : null;
        var summaries = material.Select(t => t.ChangeSummary).OfType<string>().ToList();
        return new PendingTextChange(consentedTo, newer[^1], summaries, deadline?.ReconfirmBy) { DeadlineVersion = deadline };
    }

    /// <summary>True once the deadline has passed: the system revokes the consent.</summary>
    public static bool HasLapsed(this PendingTextChange change, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.LapsesAt is { } at && at <= now;
    }
}
