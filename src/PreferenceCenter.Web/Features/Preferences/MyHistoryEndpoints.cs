using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using CsvHelper;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>The signed-in customer's own consent history, as JSON or CSV (GDPR Art. 15 access, Art. 20 portability).</summary>
internal static class MyHistoryEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapMyHistoryDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/preferences/history.{format}", DownloadAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> DownloadAsync(string format, ClaimsPrincipal user, ICustomerDirectory customers, IConsentService consents, CancellationToken cancellationToken)
    {
        if (format is not ("json" or "csv"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown format", detail: "Use history.json or history.csv.");
        }

        // Only ever the caller's own record: the customer comes from the sign-in, never from the URL.
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return TypedResults.Unauthorized();
        }

        var customerId = await customers.GetOrCreateForUserAsync(userId, cancellationToken);
        var texts = (await consents.GetCurrentTextsAsync("en", cancellationToken)).ToDictionary(t => t.Purpose);
        var rows = (await consents.GetHistoryAsync(customerId, 1000, cancellationToken)).Select(h => new
        {
            sequence = h.Sequence,
            occurredAt = h.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
            purpose = h.Purpose.ToString(),
            action = h.Action.ToString(),
            method = h.Method,
            reason = h.Reason,
            phone = h.PhoneE164,
        }).ToList();

        var name = $"my-consent-history-{DateTime.UtcNow:yyyyMMdd}";
        if (format == "json")
        {
            var body = new { customerId, exportedAt = DateTimeOffset.UtcNow, events = rows, currentTexts = texts.Values.Select(t => new { purpose = t.Purpose.ToString(), t.Version, t.Language, t.Label, t.Body }) };
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(body, Json), "application/json", name + ".json");
        }

        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            await csv.WriteRecordsAsync(rows, cancellationToken);
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv", name + ".csv");
    }
}
