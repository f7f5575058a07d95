namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// One immutable line of the consent log. Never updated or deleted: the state of a customer is a replay of these.
/// </summary>
public sealed class ConsentEvent
{
    private ConsentEvent()
    {
        Method = string.Empty;
        Actor = string.Empty;
        PhoneE164 = string.Empty;
    }

    public Guid Id { get; private init; }

    /// <summary>Position in the whole log, 1-based, without gaps.</summary>
    public long Sequence { get; private init; }

    public Guid CustomerId { get; private init; }

    public string PhoneE164 { get; private set; }

    public Purpose Purpose { get; private init; }

    public ConsentAction Action { get; private init; }

    public DateTimeOffset OccurredAt { get; private init; }

    /// <summary>When the app wrote it (equals OccurredAt for live changes; later for imports).</summary>
    public DateTimeOffset RecordedAt { get; private init; }

    public string Method { get; private init; }

    public string Actor { get; private init; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Locale { get; private init; }

    /// <summary>
    /// Why, when not simply the customer's own click. From encoding version 3 a reason that is not one of the app's own
    /// (<see cref="Ledger.LedgerEncoding.PlainReasons"/>) is personal: under the digest, and blanked by erasure.
    /// </summary>
    public string? Reason { get; private set; }

    /// <summary>The exact consent text version that was on screen (or, for system revocations, the one consented to).</summary>
    public int ConsentTextId { get; private init; }

    /// <summary>SHA-256 of that version's exact rendered text (<see cref="ConsentText.TextSha256"/>); null on v1 events.</summary>
    public string? TextSha256 { get; private init; }

    /// <summary>The page origin the change was made from (e.g. <c>https://prefs.example.com</c>), when there was a page.</summary>
    public string? Origin { get; private init; }

    /// <summary>Which canonical encoding <see cref="Hash"/> was computed with (docs/ledger-encoding.md).</summary>
    public int EncodingVersion { get; private set; }

    /// <summary>Keyed digest of the personal fields; what the chain commits to instead of them.</summary>
    public string? PersonalDigest { get; private set; }

    /// <summary>Hash of the event before this one (<see cref="Ledger.LedgerEncoding.Genesis"/> for the first).</summary>
    public string? PreviousHash { get; private set; }

    /// <summary>SHA-256 of this event's canonical encoding, which includes <see cref="PreviousHash"/>.</summary>
    public string? Hash { get; private set; }

    /// <summary>Links the event into the chain. Once, before it is stored.</summary>
    public void Seal(byte[] customerKey, string previousHash)
    {
        if (Hash is not null)
        {
            throw new InvalidOperationException("This event is already sealed.");
        }

        PersonalDigest = Ledger.LedgerEncoding.PersonalDigest(customerKey, EncodingVersion, PhoneE164, IpAddress, UserAgent, Reason);
        PreviousHash = previousHash;
        Hash = Ledger.LedgerEncoding.Hash(this, PersonalDigest, previousHash);
    }

    public static ConsentEvent Create(
        long sequence,
        Guid customerId,
        string phoneE164,
        Purpose purpose,
        ConsentAction action,
        DateTimeOffset occurredAt,
        int consentTextId,
        ConsentEvidence evidence,
        DateTimeOffset? recordedAt = null,
        Guid? id = null,
        string? textSha256 = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(phoneE164);
        ArgumentNullException.ThrowIfNull(evidence);
        return new ConsentEvent
        {
            Id = id ?? Guid.CreateVersion7(occurredAt),
            Sequence = sequence,
            CustomerId = customerId,
            PhoneE164 = phoneE164,
            Purpose = purpose,
            Action = action,
            OccurredAt = occurredAt.ToUniversalTime(),
            RecordedAt = (recordedAt ?? occurredAt).ToUniversalTime(),
            ConsentTextId = consentTextId,
            TextSha256 = textSha256,
            Origin = Truncate(evidence.Origin, 200),
            EncodingVersion = Ledger.LedgerEncoding.Version,
            Method = evidence.Method,
            Actor = evidence.Actor,
            IpAddress = Truncate(evidence.IpAddress, 64),
            UserAgent = Truncate(evidence.UserAgent, 512),
            Locale = Truncate(evidence.Locale, 35),
            Reason = Truncate(evidence.Reason, 200),
        };
    }

    /// <summary>
    /// Tests only: re-creates an event as an older version's row would be: 1 (written before text hashes and origins)
    /// or 2 (before typed reasons moved under the personal digest).
    /// </summary>
    internal void UseLegacyEncoding(int version = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(version, Ledger.LedgerEncoding.Version);
        if (Hash is not null)
        {
            throw new InvalidOperationException("This event is already sealed.");
        }

        EncodingVersion = version;
    }

    /// <summary>Blanks the personal fields (erasure). The chain still verifies: it commits to their digest only.</summary>
    public void ErasePersonalData()
    {
        PhoneE164 = string.Empty;
        IpAddress = null;
        UserAgent = null;
        if (Ledger.LedgerEncoding.ReasonIsPersonal(EncodingVersion, Reason))
        {
            Reason = null;
        }
    }

    private static string? Truncate(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..max];
}
