using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Web.Hosting;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>REST API v1 for other systems: read and check consent, revoke, follow the change feed.</summary>
internal static class ApiEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebApplication MapPreferenceCenterApi(this WebApplication app)
    {
        app.UseApiCallLog();
        app.UseApiProblemResponses();
        app.UseRateLimiter();
        app.MapOpenApi(ApiOpenApi.DocumentPath);
        // Every operation may answer these; each endpoint adds its own. 500 is a ProblemDetails too (ApiProblemResponses).
        var api = app.MapGroup("/api/v1").RequireRateLimiting(ApiRegistration.RateLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status500InternalServerError);

        api.MapGet("/customers/{id:guid}/consents", CustomerConsentsAsync).RequireAuthorization(ApiRegistration.ReadPolicy)
            .WithName("GetCustomerConsents").WithTags("Consents").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Current consent per purpose of one customer, with the event that decided it.");
        api.MapGet("/consents", ConsentsByPhoneAsync).RequireAuthorization(ApiRegistration.ReadPolicy)
            .WithName("GetConsentsByPhone").WithTags("Consents").ProducesProblem(StatusCodes.Status400BadRequest)
            .DescribedAs(o => ApiOpenApi.Parameter(o, "phone", required: true, PhoneText, new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 }))
            .WithSummary("Current consent of every customer whose verified number is this one (any format).");
        api.MapGet("/consents/check", CheckAsync).RequireAuthorization(ApiRegistration.ReadPolicy)
            .WithName("CheckConsent").WithTags("Consents").Produces<ApiCheck>().ProducesProblem(StatusCodes.Status400BadRequest)
            .DescribedAs(o => ApiOpenApi.Parameter(o, "phone", required: true, PhoneText, new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 }))
            .AddOpenApiOperationTransformer((o, c, _) =>
            {
                ApiOpenApi.Parameter(o, "purpose", required: true, "The purpose of the text about to be sent.", ApiOpenApi.PurposeInput(c.ApplicationServices.GetRequiredService<PurposeRegistry>().All));
                return Task.CompletedTask;
            })
            .WithSummary("May this number be texted for this purpose right now? Ask before every message.");
        api.MapPost("/customers/{id:guid}/consents/{purpose}/revoke", ApiRevoke.HandleAsync).RequireAuthorization(ApiRegistration.WritePolicy)
            .WithName("RevokeConsent").WithTags("Consents")
            .Produces<ApiRevokeResult>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((o, c, _) =>
            {
                ApiOpenApi.Parameter(o, "purpose", required: true, "The purpose to revoke.", ApiOpenApi.PurposeInput(c.ApplicationServices.GetRequiredService<PurposeRegistry>().All));
                ApiOpenApi.IdempotencyKeyHeader(o, required: true, "Required: unique per revocation, and the same when retrying it. A retry answers as the first did and logs nothing new; the same key for a different request is a 422.", "crm-revoke-7f3a9c");
                return Task.CompletedTask;
            })
            .WithSummary("Revokes a consent; send an Idempotency-Key so a retry returns the first answer and logs nothing new.");
        api.MapPost("/import", ApiImport.HandleAsync).RequireAuthorization(ApiRegistration.ImportPolicy)
            .WithName("ImportConsents").WithTags("Import")
            .Accepts<ApiImportRow[]>("application/json").Produces<ApiImportResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ApiImportProblem>(StatusCodes.Status422UnprocessableEntity, "application/problem+json")
            .DescribedAs(o => ApiOpenApi.IdempotencyKeyHeader(o, required: false, "Optional: with it, a retry of the same batch answers as the first did and imports nothing twice; the same key for a different batch is a 422.", "crm-import-2025-03-01-1"))
            .AddOpenApiOperationTransformer(ApiImportExamples.AddAsync)
            .WithSummary("Imports another system's consent records with their original times and evidence; all rows or none. Idempotency-Key optional.");
        api.MapGet("/changes", ChangesAsync).RequireAuthorization(ApiRegistration.ReadPolicy)
            .WithName("GetChanges").WithTags("Changes").ProducesProblem(StatusCodes.Status400BadRequest)
            .DescribedAs(o =>
            {
                ApiOpenApi.Parameter(o, "after", required: false, "The nextCursor of the previous page; 0 (or none) for the start of the ledger.", new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$", Default = JsonValue.Create("0") });
                ApiOpenApi.Parameter(o, "limit", required: false, "Events per page.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "1000", Default = JsonValue.Create(100) });
            })
            .WithSummary("The change feed in ledger order: pass the returned nextCursor as 'after' to continue.");
        api.MapPost("/opt-in-requests", ApiOptIns.CreateAsync).RequireAuthorization(ApiRegistration.WritePolicy)
            .WithName("CreateOptInRequest").WithTags("Opt-in requests")
            .Accepts<ApiOptInRequestInput>("application/json")
            .Produces<ApiOptInRequest>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .DescribedAs(o => ApiOpenApi.IdempotencyKeyHeader(o, required: true, "Required: unique per request, and the same when retrying it. A retry answers as the first did and texts nothing new; the same key for a different request is a 422.", "till-042-20261206-0001"))
            .WithSummary("Texts the number a confirmation request (double opt-in); only the customer's YES grants. 409 when the number has one open, had 3 from others in 30 days, texted STOP or already agreed.");
        api.MapGet("/opt-in-requests", ApiOptIns.ListAsync).RequireAuthorization(ApiRegistration.ReadPolicy)
            .WithName("GetOptInRequests").WithTags("Opt-in requests").ProducesProblem(StatusCodes.Status400BadRequest)
            .DescribedAs(o => ApiOpenApi.Parameter(o, "phone", required: true, PhoneText, new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 }))
            .WithSummary("Every confirmation request texted to this number, newest first: open, confirmed, expired or cancelled.");
        return app;
    }

    private static async Task<Results<Ok<ApiCustomerConsents>, ProblemHttpResult>> CustomerConsentsAsync(Guid id, IDbContextFactory<PreferenceCenterDbContext> dbFactory, IConsentService consents, PurposeRegistry purposes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return NoSuchCustomer(id);
        }

        return TypedResults.Ok(await ConsentsOfAsync(id, consents, purposes, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<ApiCustomerConsents>>, ProblemHttpResult>> ConsentsByPhoneAsync(string? phone, IDbContextFactory<PreferenceCenterDbContext> dbFactory, IConsentService consents, PurposeRegistry purposes, IOptions<PhoneOptions> phoneOptions, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(phone, phoneOptions.Value.DefaultRegion, out var number, out _))
        {
            return BadPhone();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.CustomerPhones.Where(p => p.PhoneE164 == number.E164 && p.ReplacedAt == null).Select(p => p.CustomerId).ToListAsync(cancellationToken);
        var result = new List<ApiCustomerConsents>();
        foreach (var id in ids)
        {
            result.Add(await ConsentsOfAsync(id, consents, purposes, cancellationToken));
        }

        return TypedResults.Ok<IReadOnlyList<ApiCustomerConsents>>(result);
    }

    private static async Task<Results<Utf8ContentHttpResult, ProblemHttpResult>> CheckAsync(string? phone, string? purpose, ISmsGateway gateway, PurposeRegistry purposes, IOptions<PhoneOptions> phoneOptions, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryParse(phone, phoneOptions.Value.DefaultRegion, out var number, out _))
        {
            return BadPhone();
        }

        if (!purposes.Current.TryParse(purpose, out var p))
        {
            return BadPurpose(purposes.Current);
        }

        // The same rule the app's own sender applies: a granted consent and no active STOP. Serialised up front, so
        // the answer leaves with its Content-Length in one write instead of chunked (this runs before every text).
        var check = new ApiCheck(number.E164, p.ToString(), await gateway.CanSendAsync(number.E164, p, cancellationToken));
        return TypedResults.Text(JsonSerializer.SerializeToUtf8Bytes(check, Json), "application/json");
    }

    private static async Task<Results<Ok<ApiChanges>, ProblemHttpResult>> ChangesAsync(string? after, string? limit, IConsentService consents, CancellationToken cancellationToken)
    {
        // Both bound as text and parsed here, so "abc" or a number past int's range gets this answer, not a bare 400.
        long cursor = 0;
        var take = 100;
        if ((after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out cursor))
            || (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 1000)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad cursor or limit", detail: "'after' is a cursor this endpoint returned (or 0); 'limit' is a whole number from 1 to 1000.");
        }

        var events = await consents.GetChangesAsync(cursor, take + 1, cancellationToken);
        var page = events.Take(take).Select(ApiEvent.From).ToList();
        var next = page.Count > 0 ? page[^1].Sequence : cursor;
        return TypedResults.Ok(new ApiChanges(page, next.ToString(CultureInfo.InvariantCulture), events.Count > take));
    }

    private const string PhoneText = "A mobile number in any common format, e.g. +44 7700 900123 or 07700 900123.";

    internal static async Task<ApiCustomerConsents> ConsentsOfAsync(Guid id, IConsentService consents, PurposeRegistry purposes, CancellationToken cancellationToken)
    {
        var list = new List<ApiConsent>();
        foreach (var purpose in purposes.All)
        {
            var answer = await consents.ConsentAtAsync(id, purpose, DateTimeOffset.MaxValue, cancellationToken);
            list.Add(new ApiConsent(purpose.ToString(), answer.Granted, answer.DecidingEvent is { } e ? ApiEvent.From(e) : null));
        }

        return new ApiCustomerConsents(id, list);
    }

    internal static ProblemHttpResult NoSuchCustomer(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such customer", detail: $"There is no customer {id}.");

    internal static ProblemHttpResult BadPhone() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a valid phone number", detail: "Give a mobile number in any common format, e.g. +44 7700 900123.");

    internal static ProblemHttpResult BadPurpose(PurposeCatalog purposes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown purpose", detail: $"Purpose is one of: {purposes.KeysText}.");
}
