using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// What the app knows about one purpose, stored as data so an admin can add one without code. Code asks the
/// definition; it never compares with a particular purpose.
/// </summary>
public sealed class PurposeDefinition
{
    public const int MaxNameLength = 40;
    public const int MaxPhraseLength = 60;
    public const int MaxFrequencyLength = 40;

    private PurposeDefinition()
    {
        NameEn = NameEs = PhraseEn = PhraseEs = FrequencyEn = FrequencyEs = string.Empty;
    }

    public Purpose Purpose { get; private init; }

    /// <summary>Position on the customer's page and in every list.</summary>
    public int Order { get; private init; }

    /// <summary>The checkbox-sized name ("Promotions"), per language.</summary>
    public string NameEn { get; private set; }

    public string NameEs { get; private set; }

    /// <summary>The lower-case phrase used inside texts ("promotional texts"), per language.</summary>
    public string PhraseEn { get; private set; }

    public string PhraseEs { get; private set; }

    /// <summary>How often we text for it ("up to 4 msgs/month"), said in confirmation texts as carriers require.</summary>
    public string FrequencyEn { get; private set; }

    public string FrequencyEs { get; private set; }

    /// <summary>
    /// Whether a material change may set a deadline after which consents nobody re-confirmed are withdrawn. Account
    /// alerts never lapse: losing them could hide a security warning (ADR 0016).
    /// </summary>
    public bool LapsesWhenNotReconfirmed { get; private init; }

    /// <summary>How the provider is told to treat its texts (marketing or transactional).</summary>
    public SmsKind TextKind { get; private init; }

    /// <summary>The number its texts come from; null means the one in settings, or the default sender.</summary>
    public string? SendingNumber { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    public string Name(string? language) => Languages.Match(language) == Languages.Spanish ? NameEs : NameEn;

    public string Phrase(string? language) => Languages.Match(language) == Languages.Spanish ? PhraseEs : PhraseEn;

    public string Frequency(string? language) => Languages.Match(language) == Languages.Spanish ? FrequencyEs : FrequencyEn;

    /// <summary>The two purposes every installation starts with.</summary>
    public static IReadOnlyList<PurposeDefinition> Seeds { get; } =
    [
        new()
        {
            Purpose = Purpose.AccountAlerts, Order = 1, NameEn = "Account alerts", NameEs = "Avisos de la cuenta",
            PhraseEn = "account alert texts", PhraseEs = "los avisos de tu cuenta",
            FrequencyEn = "up to 10 msgs/month", FrequencyEs = "hasta 10 msjs/mes",
            LapsesWhenNotReconfirmed = false, TextKind = SmsKind.AccountAlert, CreatedAt = DateTimeOffset.UnixEpoch,
        },
        new()
        {
            Purpose = Purpose.Promotions, Order = 2, NameEn = "Promotions", NameEs = "Promociones",
            PhraseEn = "promotional texts", PhraseEs = "los mensajes promocionales",
            FrequencyEn = "up to 4 msgs/month", FrequencyEs = "hasta 4 msjs/mes",
            LapsesWhenNotReconfirmed = true, TextKind = SmsKind.Promotion, CreatedAt = DateTimeOffset.UnixEpoch,
        },
    ];

    /// <summary>
    /// Corrects how the purpose is named and described and where its texts come from. Its key, kind and lapse rule
    /// never change: the consent log and earlier answers refer to them. Wording customers agree to changes through new
    /// consent-text versions instead.
    /// </summary>
    public void Edit(PurposeDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        NameEn = draft.NameEn!.Trim();
        NameEs = draft.NameEs!.Trim();
        PhraseEn = draft.PhraseEn!.Trim();
        PhraseEs = draft.PhraseEs!.Trim();
        FrequencyEn = draft.FrequencyEn!.Trim();
        FrequencyEs = draft.FrequencyEs!.Trim();
        SendingNumber = string.IsNullOrWhiteSpace(draft.SendingNumber) ? null : draft.SendingNumber.Trim();
    }

    /// <summary>The form's values for this purpose, to edit.</summary>
    public PurposeDraft AsDraft() =>
        new(Purpose.Key, NameEn, NameEs, PhraseEn, PhraseEs, FrequencyEn, FrequencyEs, LapsesWhenNotReconfirmed, SendingNumber, null, null, null, null);

    /// <summary>A new purpose from a checked draft.</summary>
    public static PurposeDefinition Create(PurposeDraft draft, int order, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new PurposeDefinition
        {
            Purpose = Purpose.FromKey(draft.Key!.Trim()),
            Order = order,
            NameEn = draft.NameEn!.Trim(),
            NameEs = draft.NameEs!.Trim(),
            PhraseEn = draft.PhraseEn!.Trim(),
            PhraseEs = draft.PhraseEs!.Trim(),
            FrequencyEn = draft.FrequencyEn!.Trim(),
            FrequencyEs = draft.FrequencyEs!.Trim(),
            LapsesWhenNotReconfirmed = draft.Marketing,
            TextKind = draft.Marketing ? SmsKind.Promotion : SmsKind.AccountAlert,
            SendingNumber = string.IsNullOrWhiteSpace(draft.SendingNumber) ? null : draft.SendingNumber.Trim(),
            CreatedAt = now,
        };
    }
}
