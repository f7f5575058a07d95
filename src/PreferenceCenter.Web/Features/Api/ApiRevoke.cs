using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Localization;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>Revocation by another system, made idempotent by the caller's <c>Idempotency-Key</c>.</summary>
internal static class ApiRevoke
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> HandleAsync(
        Guid id,
        string purpose,
        HttpContext http,
        IDbContextFactory<PreferenceCenterDbContext> dbFactory,
        IConsentService consents,
        PurposeRegistry purposes,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<LanguageOptions> languages,
        CancellationToken cancellationToken)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 200)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key required", detail: "Send a unique Idempotency-Key header (up to 200 characters) with every revoke, and the same one when you retry it.");
        }

        if (!purposes.Current.TryParse(purpose, out var p))
        {
            return ApiEndpoints.BadPurpose(purposes.Current);
        }

        var integrationId = Guid.Parse(http.User.IntegrationId()!);
        var request = $"POST /customers/{id}/consents/{p}/revoke";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await ReplayAsync(db, integrationId, key, request, cancellationToken) is { } replay)
        {
            return replay;
        }

        if (!await db.Customers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ApiEndpoints.NoSuchCustomer(id);
        }

        var state = (await consents.GetStatesAsync(id, cancellationToken)).Single(s => s.Purpose == p);
        // Nothing was ever granted: the revocation points at the current text in the configured default language.
        var textId = state.ConsentTextId ?? (await consents.GetCurrentTextsAsync(languages.Value.DefaultLanguage, cancellationToken)).Single(t => t.Purpose == p).Id;
        var evidence = new ConsentEvidence(ConsentMethod.Api, $"integration:{integrationId}", http.Connection.RemoteIpAddress?.ToString(), null, null, $"revoked by {http.User.Identity?.Name} (Idempotency-Key {key})");
        var result = await consents.RevokeAsync(id, p, textId, evidence, cancellationToken);
        var body = JsonSerializer.Serialize(new ApiRevokeResult(id, p.ToString(), result.Outcome.ToString(), result.Event is { } e ? ApiEvent.From(e) : null), Json);

        // The answer is stored as sent, so a retry gets exactly the same bytes.
        db.IdempotencyRecords.Add(new IdempotencyRecord { IntegrationId = integrationId, Key = key, Request = request, StatusCode = StatusCodes.Status200OK, ResponseJson = body, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent retry with the same key stored its answer first: that one is the answer.
            db.ChangeTracker.Clear();
            return await ReplayAsync(db, integrationId, key, request, cancellationToken) ?? Results.Content(body, "application/json");
        }

        return Results.Content(body, "application/json");
    }

    internal static async Task<IResult?> ReplayAsync(PreferenceCenterDbContext db, Guid integrationId, string key, string request, CancellationToken cancellationToken)
    {
        var stored = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.IntegrationId == integrationId && r.Key == key, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (stored.Request != request)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused", detail: "This key was already used for a different request.");
        }

        return Results.Content(stored.ResponseJson, stored.StatusCode >= 400 ? "application/problem+json" : "application/json", statusCode: stored.StatusCode);
    }
}
