using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using PreferenceCenter.Domain.Integrations;

namespace PreferenceCenter.Web.Features.Api;

internal static class ApiRegistration
{
    public const string ReadPolicy = "api:" + ApiScopes.ConsentsRead;
    public const string WritePolicy = "api:" + ApiScopes.ConsentsWrite;
    public const string ImportPolicy = "api:" + ApiScopes.Import;
    public const string RateLimit = "api-per-key";

    public static WebApplicationBuilder AddPreferenceCenterApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // Built by the container's compiled factory instead of by reflection on every request.
        services.AddTransient<ApiKeyAuthentication>();

        // Requests under /api are authenticated by key, once, by the authentication middleware: the default (cookie)
        // scheme hands them to the key scheme, so the policies below use that principal instead of authenticating a
        // second time, and the challenge and forbid answers are the key scheme's ProblemDetails.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
            o.ForwardDefaultSelector = http => IsApi(http.Request) ? ApiKeyAuthentication.SchemeName : null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.ConsentsRead))
            .AddPolicy(WritePolicy, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.ConsentsWrite))
            .AddPolicy(ImportPolicy, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.Import));
        services.AddProblemDetails();

        // A value minimal APIs cannot bind is a plain 400 in every environment (Development would throw, and the
        // exception page answer with HTML); ApiProblemResponses gives it its ProblemDetails body.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddOpenApiDocument();

        // One window per key (per IP before a key is known), so one busy integration cannot starve the others.
        // The limit is read per request: configuration is only complete once the app is built.
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                // The limiter runs after authentication: an integration has one key, and its id is already a string.
                http.User.IntegrationId() ?? "ip:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = PerMinute(http), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: $"At most {PerMinute(context.HttpContext)} requests a minute per key.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>The <c>/openapi/v1.json</c> contract (<see cref="ApiOpenApi"/>, ADR 33).</summary>
    private static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(ApiOpenApi.DocumentName, o =>
        {
            // The API only: sign-in, exports, the SMS webhook and the dev pages are no other system's contract.
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddSchemaTransformer((schema, _, _) =>
            {
                ApiOpenApi.IntegersAreIntegers(schema);
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer<ApiDocumentTransformer>();
        });

    private static int PerMinute(HttpContext http) => http.RequestServices.GetRequiredService<IConfiguration>().GetValue("Api:RequestsPerMinute", 600);

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static string? IntegrationId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
