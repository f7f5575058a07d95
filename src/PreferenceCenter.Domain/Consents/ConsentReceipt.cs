using System.Text;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// What a customer takes away after a change: the event, the exact text, and where it sits in the hash chain, with
/// everything needed to re-compute its hash by hand (docs/ledger-encoding.md).
/// </summary>
public sealed record ConsentReceipt(ConsentEvent Event, ConsentText Text, long HeadSequence, string HeadHash, DateTimeOffset IssuedAt)
{
    /// <summary>This change's place among the customer's own (1 for their first): what the customer calls the receipt.</summary>
    public int CustomerNumber { get; init; }

    /// <summary>For a grant made by replying YES to a confirmation request: the texts both ways.</summary>
    public OptIns.OptInConversation? Conversation { get; init; }

    /// <summary>The exact bytes the event's hash is computed over, as text.</summary>
    public string CanonicalText => Encoding.UTF8.GetString(LedgerEncoding.Canonical(Event, Event.PersonalDigest ?? string.Empty, Event.PreviousHash ?? LedgerEncoding.Genesis));

    /// <summary>True when the stored hash re-computes from the canonical text and the text hash matches the wording.</summary>
    public bool SelfConsistent =>
        string.Equals(LedgerEncoding.Hash(Event, Event.PersonalDigest ?? string.Empty, Event.PreviousHash ?? LedgerEncoding.Genesis), Event.Hash, StringComparison.Ordinal)
        && (Event.TextSha256 is null || string.Equals(Event.TextSha256, Text.TextSha256, StringComparison.Ordinal));
}
