namespace PreferenceCenter.Domain.Consents;

public sealed record ConsentStateView(Purpose Purpose, bool Granted, string? PhoneE164, DateTimeOffset? ChangedAt, long? DecidingSequence, int? ConsentTextId = null);

/// <summary>One event with all its evidence and the text version it was made under, as the customer may see it.</summary>
public sealed record ConsentHistoryItem(
    long Sequence,
    DateTimeOffset OccurredAt,
    Purpose Purpose,
    ConsentAction Action,
    string Method,
    string? Reason,
    string PhoneE164)
{
    public DateTimeOffset RecordedAt { get; init; } = OccurredAt;

    /// <summary>Its place among the customer's own changes, 1 for the first: the receipt's number.</summary>
    public int Number { get; init; }

    public string? Actor { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? Locale { get; init; }

    public string? Origin { get; init; }

    public int? ConsentTextId { get; init; }

    public int? TextVersion { get; init; }

    public string? TextSha256 { get; init; }

    public string? Hash { get; init; }
}

/// <summary>
/// Consent changes a person makes on their own (web, embedded page, API) and the reads of the log. Changes that are part
/// of a larger transaction (SMS keywords and replies to opt-in requests, agent revocations, imports, erasure, number
/// changes, sign-in by a new holder) append through the same ledger (Infrastructure's <c>ConsentLedger</c>) inside that
/// transaction, so "one event per real change" and "projection = replay" hold for both, and both are counted once.
/// </summary>
public interface IConsentService
{
    /// <summary>A customer's own grant; a new one also queues its "you're subscribed" text in the same transaction.</summary>
    Task<ConsentChangeResult> GrantAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    Task<ConsentChangeResult> RevokeAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-affirms an active consent under a newer text version (the customer chose "keep" after a material change):
    /// a grant event pointing at <paramref name="consentTextId"/> although the consent was already granted. Unchanged
    /// when the consent is no longer granted or already stands under that version.
    /// </summary>
    Task<ConsentChangeResult> ReaffirmAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    /// <summary>Revokes every active consent of the customer in one transaction.</summary>
    Task<IReadOnlyList<ConsentChangeResult>> RevokeAllAsync(Guid customerId, IReadOnlyDictionary<Purpose, int> textsShown, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsentStateView>> GetStatesAsync(Guid customerId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsentHistoryItem>> GetHistoryAsync(Guid customerId, int take = 200, CancellationToken cancellationToken = default);

    /// <summary>Records, once per version per customer, that these text versions were on screen.</summary>
    Task RecordTextsShownAsync(Guid customerId, IReadOnlyCollection<int> consentTextIds, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    /// <summary>Whether the customer had consented to the purpose at the instant, by replaying the ledger.</summary>
    Task<ConsentAnswer> ConsentAtAsync(Guid customerId, Purpose purpose, DateTimeOffset instant, CancellationToken cancellationToken = default);

    /// <summary>The receipt for one of the customer's own events; null when the sequence is not theirs.</summary>
    Task<ConsentReceipt?> GetReceiptAsync(Guid customerId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>The change feed: events after a sequence, in ledger order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConsentEvent>> GetChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The newest published text per purpose for a language, falling back to English.</summary>
    Task<IReadOnlyList<ConsentText>> GetCurrentTextsAsync(string language, CancellationToken cancellationToken = default);
}
