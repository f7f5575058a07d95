using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.OptIns;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.OptIns;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>What a till or another system sends to have a confirmation request texted (ADR 0034).</summary>
public sealed record ApiOptInRequestInput(string? Phone, string? Purpose, string? Source, string? Language);

/// <summary>A confirmation request and where it stands; only the customer's YES from the number grants.</summary>
public sealed record ApiOptInRequest(
    long Id,
    string Phone,
    string Purpose,
    string Language,
    string Source,
    string RequestedBy,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ResolvedAt,
    string RequestText,
    long? ConsentEventSequence)
{
    public static ApiOptInRequest From(OptInRequestView r) => new(
        r.Id, r.PhoneE164, r.Purpose.ToString(), r.Language, r.Source, r.RequestedBy, r.Status.ToString(), r.CreatedAt, r.ExpiresAt, r.ResolvedAt, r.RequestText, r.ConsentEventSequence);
}

/// <summary><c>POST /api/v1/opt-in-requests</c> (idempotent by the caller's key) and <c>GET</c> by number.</summary>
internal static class ApiOptIns
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const int MaxBodyBytes = 16 * 1024;

    public static async Task<IResult> CreateAsync(
        HttpContext http,
        IDbContextFactory<PreferenceCenterDbContext> dbFactory,
        OptInRequests optIns,
        PurposeRegistry purposes,
        IOptions<PhoneOptions> phoneOptions,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 200)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key required", detail: "Send a unique Idempotency-Key header (up to 200 characters) with every request, and the same one when you retry it.");
        }

        // Read here, not bound by the framework: any charset, a broken body or a huge one is a 4xx ProblemDetails, never a 500.
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected", detail: "Send the request as a JSON object with Content-Type: application/json.");
        }

        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        ApiOptInRequestInput? input;
        try
        {
            input = await JsonSerializer.DeserializeAsync<ApiOptInRequestInput>(http.Request.Body, Json, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a JSON opt-in request", detail: $"The body must be one JSON object (at most {MaxBodyBytes / 1024} KB) with phone, purpose, source and optionally language.");
        }

        if (!PhoneNumber.TryParse(input?.Phone, phoneOptions.Value.DefaultRegion, out var number, out _))
        {
            return ApiEndpoints.BadPhone();
        }

        if (!purposes.Current.TryParse(input!.Purpose, out var purpose))
        {
            return ApiEndpoints.BadPurpose(purposes.Current);
        }

        var source = input.Source?.Trim() ?? string.Empty;
        if (source.Length is 0 or > OptInRequest.SourceLength || source.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad source", detail: $"'source' says where the number was collected, e.g. store:042: 1 to {OptInRequest.SourceLength} printable characters.");
        }

        var language = input.Language?.Trim().ToLowerInvariant();
        if (language is not null && Domain.Localization.Languages.Match(language) != language)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported language", detail: "'language' is en or es; left out, the app's default.");
        }

        var integrationId = Guid.Parse(http.User.IntegrationId()!);
        var request = $"POST /opt-in-requests {number.E164} {purpose} {source} {language}";
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await ApiRevoke.ReplayAsync(db, integrationId, key, request, cancellationToken) is { } replay)
            {
                return replay;
            }
        }

        var command = new OptInRequestCommand(number.E164, purpose, language ?? string.Empty, source, $"integration:{integrationId}", http.Connection.RemoteIpAddress?.ToString());
        try
        {
            var result = await optIns.RequestAsync(command, r => Record(integrationId, key, request, r, clock), cancellationToken);
            return Answer(result);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry with the same key committed first: its answer is the answer.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await ApiRevoke.ReplayAsync(db, integrationId, key, request, cancellationToken)
                ?? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Retried at the same time", detail: "Send the request again with the same Idempotency-Key.");
        }
    }

    public static async Task<Results<Ok<IReadOnlyList<ApiOptInRequest>>, ProblemHttpResult>> ListAsync(string? phone, OptInRequests optIns, IOptions<PhoneOptions> phoneOptions, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(phone, phoneOptions.Value.DefaultRegion, out var number, out _))
        {
            return ApiEndpoints.BadPhone();
        }

        var requests = await optIns.ForNumberAsync(number.E164, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ApiOptInRequest>>(requests.Select(ApiOptInRequest.From).ToList());
    }

    // The first answer and every replay are the same bytes: the stored body is what was sent.
    private static IResult Answer(OptInRequestResult result)
    {
        var (status, body) = Body(result);
        return Results.Content(body, status == StatusCodes.Status201Created ? "application/json" : "application/problem+json", statusCode: status);
    }

    private static (int Status, string Body) Body(OptInRequestResult result) => result.Request is { } sent
        ? (StatusCodes.Status201Created, JsonSerializer.Serialize(ApiOptInRequest.From(sent), Json))
        : (StatusCodes.Status409Conflict, JsonSerializer.Serialize(
            new
            {
                title = "Not sent",
                status = StatusCodes.Status409Conflict,
                detail = result.Refusal switch
                {
                    OptInRefusal.AlreadyOpen => "A request for this number and purpose is still waiting for its answer.",
                    OptInRefusal.TooMany => "This number had as many requests as others may send it in 30 days.",
                    OptInRefusal.StoppedByCustomer => "This number texted STOP: only the customer can ask again, by texting the keyword.",
                    _ => "This number already agreed to this purpose.",
                },
                reason = result.Refusal.ToString(),
            },
            Json));

    private static IdempotencyRecord Record(Guid integrationId, string key, string request, OptInRequestResult result, TimeProvider clock)
    {
        var (status, body) = Body(result);
        return new IdempotencyRecord { IntegrationId = integrationId, Key = key, Request = request, StatusCode = status, ResponseJson = body, CreatedAt = clock.GetUtcNow() };
    }
}
