using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.Ledger;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>
/// The signed-in customer's own consent history, as JSON or CSV (GDPR Art. 15 access, Art. 20 portability). Times stay
/// UTC (ISO 8601) in downloads; the explanations come in the customer's language.
/// </summary>
internal static class MyHistoryEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapMyHistoryDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/preferences/history.{format}", DownloadAsync).RequireAuthorization();
        app.MapGet("/preferences/receipts/{sequence:long}.json", ReceiptAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ReceiptAsync(long sequence, ClaimsPrincipal user, ICustomerDirectory customers, IConsentService consents, LedgerReceiptProofs proofs, IStringLocalizer<PreferencesStrings> l, CancellationToken cancellationToken)
    {
        if (await CallerAsync(user, customers, cancellationToken) is not { } customerId)
        {
            return TypedResults.Unauthorized();
        }

        var receipt = await consents.GetReceiptAsync(customerId, sequence, cancellationToken);
        if (receipt is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: l["NoSuchReceipt"], detail: l["ReceiptNotFoundBody"]);
        }

        var e = receipt.Event;
        var proof = await proofs.ForEventAsync(e.Sequence, cancellationToken);
        var body = new
        {
            receipt = l["JsonReceiptName"].Value,
            encoding = "docs/ledger-encoding.md",
            issuedAt = LedgerEncoding.Instant(receipt.IssuedAt),
            @event = Row(e, receipt.Text),
            text = new { id = receipt.Text.Id, purpose = receipt.Text.Purpose.ToString(), receipt.Text.Language, receipt.Text.Version, receipt.Text.Label, receipt.Text.Body, renderedText = receipt.Text.RenderedText, sha256 = receipt.Text.TextSha256 },
            chain = new { sequence = e.Sequence, previousHash = e.PreviousHash, hash = e.Hash, personalDigest = e.PersonalDigest, headSequence = receipt.HeadSequence, headHash = receipt.HeadHash },
            textMessages = receipt.Conversation is { } c
                ? new { source = c.Source, requestedBy = c.RequestedBy, keyword = c.KeywordText, keywordMessageSid = c.KeywordMessageSid, request = c.RequestText, sentAt = LedgerEncoding.Instant(c.SentAt), reply = c.ReplyText, replyMessageSid = c.ReplyMessageSid, repliedAt = LedgerEncoding.Instant(c.RepliedAt), sha256 = c.EvidenceSha256 }
                : null,
            // RFC 9162 inclusion of this event (leaf = its hash as 32 bytes) in the latest signed checkpoint (ADR 37).
            proof = proof is null ? null : new
            {
                tree = "RFC 9162 §2.1, leaf input = the event hash (32 bytes)",
                leafIndex = proof.Inclusion.LeafIndex,
                treeSize = proof.Inclusion.TreeSize,
                leafHash = Convert.ToHexStringLower(proof.Inclusion.LeafHash),
                auditPath = proof.Inclusion.AuditPath.Select(Convert.ToHexStringLower),
                rootHash = Convert.ToHexStringLower(proof.Inclusion.RootHash),
                checkpoint = proof.Checkpoint.Note,
                keys = LedgerKeysEndpoints.Path,
            },
            canonical = receipt.CanonicalText,
            canonicalBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(receipt.CanonicalText)),
            howToCheck = new[]
            {
                l["JsonCheck1"].Value,
                l["JsonCheck2"].Value,
                l["JsonCheck3"].Value,
            },
        };
        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(body, Json), "application/json", $"consent-receipt-{e.Sequence}.json");
    }

    // Only ever the caller's own record: the customer comes from the sign-in, never from the URL.
    private static async Task<Guid?> CallerAsync(ClaimsPrincipal user, ICustomerDirectory customers, CancellationToken cancellationToken) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? await customers.GetOrCreateForUserAsync(userId, cancellationToken) : null;

    private static object Row(ConsentEvent e, ConsentText text) => new
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
        textVersion = text.Version,
        textSha256 = e.TextSha256,
    };

    private static async Task<IResult> DownloadAsync(string format, ClaimsPrincipal user, ICustomerDirectory customers, IConsentService consents, CancellationToken cancellationToken)
    {
        if (format is not ("json" or "csv"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown format", detail: "Use history.json or history.csv.");
        }

        if (await CallerAsync(user, customers, cancellationToken) is not { } customerId)
        {
            return TypedResults.Unauthorized();
        }

        // The wording the customer would be shown now, in the language of this request.
        var language = Languages.Match(CultureInfo.CurrentUICulture.Name) ?? Languages.English;
        var texts = (await consents.GetCurrentTextsAsync(language, cancellationToken)).ToDictionary(t => t.Purpose);
        var rows = (await consents.GetHistoryAsync(customerId, 1000, cancellationToken)).Select(h => new
        {
            sequence = h.Sequence,
            occurredAt = h.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
            recordedAt = h.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
            purpose = h.Purpose.ToString(),
            action = h.Action.ToString(),
            method = h.Method,
            actor = h.Actor,
            reason = h.Reason,
            phone = h.PhoneE164,
            ipAddress = h.IpAddress,
            userAgent = h.UserAgent,
            locale = h.Locale,
            origin = h.Origin,
            consentTextId = h.ConsentTextId,
            textVersion = h.TextVersion,
            textSha256 = h.TextSha256,
            hash = h.Hash,
        }).ToList();

        var name = $"my-consent-history-{DateTime.UtcNow:yyyyMMdd}";
        if (format == "json")
        {
            var body = new { customerId, exportedAt = DateTimeOffset.UtcNow, events = rows, currentTexts = texts.Values.Select(t => new { purpose = t.Purpose.ToString(), t.Version, t.Language, t.Label, t.Body }) };
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(body, Json), "application/json", name + ".json");
        }

        return await CsvDownload.FileAsync(rows, name + ".csv", cancellationToken);
    }
}
