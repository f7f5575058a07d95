using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>
/// A receipt as a consent receipt of ISO/IEC TS 27560:2023, in the field structure of the W3C DPV guide's
/// <c>receipt-full</c> profile, with DPV terms for statuses, categories and legal bases (docs/receipts.md maps every
/// field). The ledger evidence that proves it rides along as an extension, unchanged.
/// </summary>
internal sealed class ReceiptDocument(
    IOptions<ControllerOptions> controller,
    IOptions<SmsOptions> sms,
    IOptions<ConsentTextOptions> consentTexts,
    IOptions<PhoneOptions> phone,
    PurposeRegistry purposes,
    IStringLocalizer<PreferencesStrings> l)
{
    public const string SchemaVersion = "preferencecenter-receipt/2 (ISO/IEC TS 27560:2023, dpv-27560 receipt-full)";

    public object Build(ConsentReceipt receipt, ReceiptProof? proof)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var e = receipt.Event;
        var c = controller.Value;
        var definition = purposes.Current.Contains(e.Purpose) ? purposes.Current.Definition(e.Purpose) : null;
        var granted = e.Action == ConsentAction.Granted;
        return new Dictionary<string, object?>
        {
            ["receipt"] = l["JsonReceiptName"].Value,
            ["schemaVersion"] = SchemaVersion,
            ["conformsTo"] = new[] { "ISO/IEC TS 27560:2023", "https://w3id.org/dpv/schema/iso-27560#receipt-full" },
            ["receiptId"] = $"urn:uuid:{e.Id}",
            ["recordId"] = $"urn:preferencecenter:ledger:{e.Sequence}",
            ["issuedAt"] = LedgerEncoding.Instant(receipt.IssuedAt),
            ["language"] = receipt.Text.Language,
            ["piiPrincipalId"] = e.CustomerId,
            ["consentStatus"] = granted ? "dpv:ConsentGiven" : "dpv:ConsentWithdrawn",
            ["consentEvent"] = new
            {
                eventTime = LedgerEncoding.Instant(e.OccurredAt),
                recordedAt = LedgerEncoding.Instant(e.RecordedAt),
                eventType = granted ? "given" : "withdrawn",
                method = e.Method,
                eventBy = e.Actor,
                reason = e.Reason,
            },
            ["notice"] = new
            {
                noticeId = $"consent-text:{receipt.Text.Id}",
                version = receipt.Text.Version,
                language = receipt.Text.Language,
                label = receipt.Text.Label,
                text = receipt.Text.Body,
                sha256 = receipt.Text.TextSha256,
                url = consentTexts.Value.PreferencesUrl,
            },
            ["purposes"] = new[]
            {
                new
                {
                    purposeId = e.Purpose.ToString(),
                    purpose = purposes.Name(e.Purpose, receipt.Text.Language),
                    purposeCategory = definition?.TextKind == SmsKind.Promotion ? "dpv:DirectMarketing" : "dpv:ServiceProvision",
                    legalBasis = "dpv:Consent",
                    personalData = new[] { "pd:PhoneNumber" },
                    processing = new[] { "dpv:Use", "dpv:Store" },
                    channel = "SMS",
                    frequency = definition?.Frequency(receipt.Text.Language),
                    storage = new { retention = c.Retention, durationAfterEnd = c.RetentionAfterEnd },
                    validity = definition?.LapsesWhenNotReconfirmed == true
                        ? "Until withdrawn (reply STOP or untick the box), or until it lapses when a material change to this wording is not confirmed."
                        : "Until withdrawn (reply STOP or untick the box).",
                },
            },
            ["piiControllers"] = new[]
            {
                new
                {
                    name = c.Name ?? sms.Value.BusinessName,
                    contact = c.Contact ?? sms.Value.SupportContact,
                    address = c.Address,
                    url = consentTexts.Value.PreferencesUrl,
                },
            },
            ["jurisdiction"] = c.Jurisdictions.Count > 0 ? c.Jurisdictions : [phone.Value.DefaultRegion],
            ["privacyPolicy"] = c.PolicyUrl ?? consentTexts.Value.PreferencesUrl,
            ["extension"] = new Dictionary<string, object?>
            {
                ["preferencecenter"] = Evidence(receipt, proof),
            },
        };
    }

    /// <summary>Everything that proves the change, as receipts carried it before the standard shape (ADR 15, 27).</summary>
    private Dictionary<string, object?> Evidence(ConsentReceipt receipt, ReceiptProof? proof)
    {
        var e = receipt.Event;
        return new Dictionary<string, object?>
        {
            ["encoding"] = "docs/ledger-encoding.md",
            ["event"] = new
            {
                sequence = e.Sequence,
                customerId = e.CustomerId,
                phone = e.PhoneE164,
                purpose = e.Purpose.ToString(),
                action = e.Action.ToString(),
                occurredAt = LedgerEncoding.Instant(e.OccurredAt),
                recordedAt = LedgerEncoding.Instant(e.RecordedAt),
                method = e.Method,
                actor = e.Actor,
                ipAddress = e.IpAddress,
                userAgent = e.UserAgent,
                locale = e.Locale,
                origin = e.Origin,
                reason = e.Reason,
                consentTextId = e.ConsentTextId,
                textVersion = receipt.Text.Version,
                textSha256 = e.TextSha256,
            },
            ["text"] = new { id = receipt.Text.Id, purpose = receipt.Text.Purpose.ToString(), receipt.Text.Language, receipt.Text.Version, receipt.Text.Label, receipt.Text.Body, renderedText = receipt.Text.RenderedText, sha256 = receipt.Text.TextSha256 },
            ["chain"] = new { sequence = e.Sequence, previousHash = e.PreviousHash, hash = e.Hash, personalDigest = e.PersonalDigest, headSequence = receipt.HeadSequence, headHash = receipt.HeadHash },
            ["textMessages"] = receipt.Conversation is { } m
                ? new { source = m.Source, requestedBy = m.RequestedBy, keyword = m.KeywordText, keywordMessageSid = m.KeywordMessageSid, request = m.RequestText, sentAt = LedgerEncoding.Instant(m.SentAt), reply = m.ReplyText, replyMessageSid = m.ReplyMessageSid, repliedAt = LedgerEncoding.Instant(m.RepliedAt), sha256 = m.EvidenceSha256 }
                : null,
            // RFC 9162 inclusion of this event (leaf = its hash as 32 bytes) in the latest signed checkpoint (ADR 37).
            ["proof"] = proof is null ? null : new
            {
                tree = "RFC 9162 §2.1, leaf input = the event hash (32 bytes)",
                leafIndex = proof.Inclusion.LeafIndex,
                treeSize = proof.Inclusion.TreeSize,
                leafHash = Convert.ToHexStringLower(proof.Inclusion.LeafHash),
                auditPath = proof.Inclusion.AuditPath.Select(Convert.ToHexStringLower),
                rootHash = Convert.ToHexStringLower(proof.Inclusion.RootHash),
                checkpoint = proof.Checkpoint.Note,
                keys = Ledger.LedgerKeysEndpoints.Path,
            },
            ["canonical"] = receipt.CanonicalText,
            ["canonicalBase64"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(receipt.CanonicalText)),
            ["howToCheck"] = new[] { l["JsonCheck1"].Value, l["JsonCheck2"].Value, l["JsonCheck3"].Value },
        };
    }
}
