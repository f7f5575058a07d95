using System.Text;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Ledger;

/// <summary>A stored text value as UTF-8 bytes; null and empty differ.</summary>
public readonly ref struct Utf8Field
{
    public Utf8Field(ReadOnlySpan<byte> bytes, bool isNull)
    {
        Bytes = bytes;
        IsNull = isNull;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public bool IsNull { get; }

    public static Utf8Field Null => new([], isNull: true);

    public static Utf8Field Of(string? value) => value is null ? Null : new(Encoding.UTF8.GetBytes(value), isNull: false);
}

/// <summary>
/// One consent event as <see cref="LedgerEncoding"/> reads it: every encoded column, as stored (text as UTF-8,
/// instants as UTC ticks). Filled from an entity when sealing, or from a database row's bytes when verifying.
/// </summary>
public ref struct LedgerRow
{
    public long EncodingVersion { get; set; }
    public long Sequence { get; set; }
    public Utf8Field Id { get; set; }
    public Utf8Field CustomerId { get; set; }
    public Utf8Field PhoneE164 { get; set; }
    public Utf8Field Purpose { get; set; }
    public Utf8Field Action { get; set; }
    public long OccurredAtUtcTicks { get; set; }
    public long RecordedAtUtcTicks { get; set; }
    public Utf8Field Method { get; set; }
    public Utf8Field Actor { get; set; }
    public Utf8Field IpAddress { get; set; }
    public Utf8Field UserAgent { get; set; }
    public Utf8Field Locale { get; set; }
    public Utf8Field Reason { get; set; }
    public long ConsentTextId { get; set; }
    public Utf8Field TextSha256 { get; set; }
    public Utf8Field Origin { get; set; }
    public Utf8Field PersonalDigest { get; set; }
    public Utf8Field PreviousHash { get; set; }

    public static LedgerRow Of(ConsentEvent e, string personalDigest, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new LedgerRow
        {
            EncodingVersion = e.EncodingVersion,
            Sequence = e.Sequence,
            Id = Utf8Field.Of(e.Id.ToString("D")),
            CustomerId = Utf8Field.Of(e.CustomerId.ToString("D")),
            PhoneE164 = Utf8Field.Of(e.PhoneE164),
            Purpose = Utf8Field.Of(e.Purpose.ToString()),
            Action = Utf8Field.Of(e.Action.ToString()),
            OccurredAtUtcTicks = e.OccurredAt.UtcTicks,
            RecordedAtUtcTicks = e.RecordedAt.UtcTicks,
            Method = Utf8Field.Of(e.Method),
            Actor = Utf8Field.Of(e.Actor),
            IpAddress = Utf8Field.Of(e.IpAddress),
            UserAgent = Utf8Field.Of(e.UserAgent),
            Locale = Utf8Field.Of(e.Locale),
            Reason = Utf8Field.Of(e.Reason),
            ConsentTextId = e.ConsentTextId,
            TextSha256 = Utf8Field.Of(e.TextSha256),
            Origin = Utf8Field.Of(e.Origin),
            PersonalDigest = Utf8Field.Of(personalDigest),
            PreviousHash = Utf8Field.Of(previousHash),
        };
    }

    internal static LedgerRow OfPersonal(int encodingVersion, string phoneE164, string? ipAddress, string? userAgent, string? reason) => new()
    {
        EncodingVersion = encodingVersion,
        Reason = Utf8Field.Of(reason),
        PhoneE164 = Utf8Field.Of(phoneE164),
        IpAddress = Utf8Field.Of(ipAddress),
        UserAgent = Utf8Field.Of(userAgent),
    };
}
