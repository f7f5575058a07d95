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

    private static async Task<IResult> ReceiptAsync(long sequence, ClaimsPrincipal user, ICustomerDirectory customers, IConsentService consents, ReceiptDocument document, LedgerReceiptProofs proofs, IStringLocalizer<PreferencesStrings> l, CancellationToken cancellationToken)
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

        var body = document.Build(receipt, await proofs.ForEventAsync(receipt.Event.Sequence, cancellationToken));
        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(body, Json), "application/json", $"consent-receipt-{receipt.Event.Sequence}.json");
    }

    // Only ever the caller's own record: the customer comes from the sign-in, never from the URL.
    private static async Task<Guid?> CallerAsync(ClaimsPrincipal user, ICustomerDirectory customers, CancellationToken cancellationToken) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? await customers.GetOrCreateForUserAsync(userId, cancellationToken) : null;

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
