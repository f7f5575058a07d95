using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Web.Hosting;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>
/// Bulk import of another system's consent records (ADR 13): the JSON array is read as it streams in, every row is
/// checked, and the batch is saved whole or not at all.
/// </summary>
internal static partial class ApiImport
{
    public const int DefaultMaxRows = 10_000;

    /// <summary>Below Kestrel's own 30 MB, so the answer is this endpoint's ProblemDetails; 10,000 rows take about 3 MB.</summary>
    public const long DefaultMaxBytes = 16 * 1024 * 1024;

    // Strict: a misspelt field ("occured_at") must fail loudly rather than import a row without it.
    private static readonly JsonSerializerOptions Rows = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> HandleAsync(
        HttpContext http,
        ConsentImporter importer,
        IDbContextFactory<PreferenceCenterDbContext> dbFactory,
        IOptions<PhoneOptions> phoneOptions,
        IConfiguration configuration,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected", detail: "Send the rows as a JSON array with Content-Type: application/json.");
        }

        var maxBytes = configuration.GetValue("Api:ImportMaxBytes", DefaultMaxBytes);
        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        // Kestrel's own limit (30 MB by default) follows this endpoint's, so a larger setting is honoured too.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key too long", detail: "An Idempotency-Key is at most 200 characters.");
        }

        // The body is hashed as it is read, so a retry with the same key can be told from a different batch.
        ConsentImportBatch batch;
        string bodyHash;
        await using (var body = new HashingReadStream(http.Request.Body, maxBytes))
        {
            var maxRows = configuration.GetValue("Api:ImportMaxRows", DefaultMaxRows);
            try
            {
                var rows = JsonSerializer.DeserializeAsyncEnumerable<ApiImportRow>(body, Rows, cancellationToken).Select(r => r?.ToInput());
                batch = await importer.ReadAsync(rows, phoneOptions.Value.DefaultRegion, maxRows, cancellationToken);
            }
            catch (JsonException ex)
            {
                var row = ex.Path is not null && RowIndex().Match(ex.Path) is { Success: true } m ? $" (row {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1})" : string.Empty;
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a JSON array of import rows", detail: $"The body must be a JSON array of row objects with the documented fields and types. The first problem is at {ex.Path ?? "$"}{row}. Nothing was saved.");
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(maxBytes);
            }

            if (batch.TooManyRows)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many rows", detail: $"At most {maxRows} rows per request: split the batch. Nothing was saved.");
            }

            try
            {
                await body.CopyToAsync(Stream.Null, cancellationToken);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return TooLarge(maxBytes);
            }

            bodyHash = body.HashHex();
        }

        if (batch.RowCount == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No rows", detail: "The array is empty: nothing to import.");
        }

        var integrationId = Guid.Parse(http.User.IntegrationId()!);
        var request = $"POST /import sha256:{bodyHash}";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (key.Length > 0 && await ApiRevoke.ReplayAsync(db, integrationId, key, request, cancellationToken) is { } replay)
        {
            return replay;
        }

        string? answer = null;
        ConsentImportReport report;
        try
        {
            report = await importer.ImportAsync(batch, $"integration:{integrationId}", key.Length == 0 ? null : r => new IdempotencyRecord
            {
                IntegrationId = integrationId,
                Key = key,
                Request = request,
                StatusCode = StatusCodes.Status200OK,
                ResponseJson = answer = JsonSerializer.Serialize(ApiImportResult.From(r), Json),
                CreatedAt = clock.GetUtcNow(),
            }, cancellationToken);
        }
        catch (DbUpdateException) when (key.Length > 0)
        {
            // The same key's first request committed while this one waited: its answer is the answer.
            return await ApiRevoke.ReplayAsync(db, integrationId, key, request, cancellationToken) ?? throw new InvalidOperationException("The import failed and left no answer to replay.");
        }

        if (!report.Saved)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Batch rejected",
                detail: $"{report.Rejected.Count} of {report.Rows} rows cannot be imported, so nothing was saved. Fix or remove them and send the batch again.",
                extensions: new Dictionary<string, object?> { ["batchId"] = report.BatchId, ["rows"] = report.Rows, ["rejected"] = report.Rejected.Select(r => new ApiImportRejection(r.Row, r.Reason)).ToList() });
        }

        return Results.Content(answer ?? JsonSerializer.Serialize(ApiImportResult.From(report), Json), "application/json");
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: $"An import body is at most {maxBytes} bytes (Api:ImportMaxBytes): split the batch. Nothing was saved.");

    [GeneratedRegex(@"^\$\[(\d+)\]")]
    private static partial Regex RowIndex();
}
