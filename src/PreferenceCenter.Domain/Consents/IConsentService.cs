namespace PreferenceCenter.Domain.Consents;

public sealed record ConsentStateView(Purpose Purpose, bool Granted, string? PhoneE164, DateTimeOffset? ChangedAt, long? DecidingSequence, int? ConsentTextId = null);

public sealed record ConsentHistoryItem(long Sequence, DateTimeOffset OccurredAt, Purpose Purpose, ConsentAction Action, string Method, string? Reason, string PhoneE164);

/// <summary>
/// The one door for consent changes. Every channel (web, embedded, agent, sms, api, import) calls it, so the log,
/// the projection and their invariants live in one place.
/// </summary>
public interface IConsentService
{
    Task<ConsentChangeResult> GrantAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    Task<ConsentChangeResult> RevokeAsync(Guid customerId, Purpose purpose, int consentTextId, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    /// <summary>Revokes every active consent of the customer in one transaction.</summary>
    Task<IReadOnlyList<ConsentChangeResult>> RevokeAllAsync(Guid customerId, IReadOnlyDictionary<Purpose, int> textsShown, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsentStateView>> GetStatesAsync(Guid customerId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ConsentHistoryItem>> GetHistoryAsync(Guid customerId, int take = 200, CancellationToken cancellationToken = default);

    /// <summary>The newest text per purpose for a language, falling back to English.</summary>
    Task<IReadOnlyList<ConsentText>> GetCurrentTextsAsync(string language, CancellationToken cancellationToken = default);
}
