using System.Globalization;
using System.Text.Json;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Web.Features.Common;

namespace PreferenceCenter.Web.Features.Staff;

internal static class StaffExportEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>One customer's timeline as CSV or JSON, for staff only; every export is audited.</summary>
    public static IEndpointRouteBuilder MapStaffExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent/customers/{id:guid}/export.{format}", ExportAsync)
            .RequireAuthorization(StaffPolicies.AnyStaff);
        return app;
    }

    private static async Task<IResult> ExportAsync(Guid id, string format, HttpContext http, IStaffConsole staffConsole, CancellationToken cancellationToken)
    {
        if (format is not ("csv" or "json"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown export format", detail: "Use export.csv or export.json.");
        }

        var staff = StaffIdentity.From(http.User, http.Connection.RemoteIpAddress?.ToString());
        var detail = await staffConsole.ExportCustomerAsync(id, staff, cancellationToken);
        if (detail is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such customer");
        }

        var rows = detail.Timeline.Select(e => new
        {
            at = e.At.ToString("O", CultureInfo.InvariantCulture),
            kind = e.Kind.ToString(),
            purpose = e.Purpose?.ToString(),
            sequence = e.Sequence,
            phone = e.PhoneE164,
            method = e.Method,
            actor = e.Actor,
            ip = e.IpAddress,
            userAgent = e.UserAgent,
            textId = e.ConsentTextId,
            textVersion = e.ConsentTextId is { } t && detail.Texts.TryGetValue(t, out var text) ? $"{text.Purpose} v{text.Version} ({text.Language})" : null,
            reason = e.Reason,
        }).ToList();

        var name = $"customer-{id}-timeline";
        if (format == "json")
        {
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(new { customerId = id, email = detail.Email, timeline = rows }, Json), "application/json", name + ".json");
        }

        return await CsvDownload.FileAsync(rows, name + ".csv", cancellationToken);
    }
}
