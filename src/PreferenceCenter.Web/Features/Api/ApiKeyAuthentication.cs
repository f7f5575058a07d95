using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;

namespace PreferenceCenter.Web.Features.Api;

/// <summary><c>X-Api-Key</c> → the integration it belongs to. Wrong, missing or revoked: 401; wrong scope: 403.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IntegrationKeys keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var integration = await keys.AuthenticateAsync(values.ToString(), Context.RequestAborted);
        if (integration is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(Principals.GetValue(integration, PrincipalOf), SchemeName));
    }

    // One principal per verified integration, reused while the key cache hands back the same instance: the claims
    // never change for it (a revocation or a new key is a new lookup, hence a new instance), and building them on
    // every call was a good part of what the consent check allocated.
    private static readonly ConditionalWeakTable<Integration, ClaimsPrincipal> Principals = [];

    private static ClaimsPrincipal PrincipalOf(Integration integration)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, integration.Id.ToString()), new(ClaimTypes.Name, integration.Name) };
        claims.AddRange(integration.Scopes.Select(s => new Claim(ScopeClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{Header}\"";
        return Problem(StatusCodes.Status401Unauthorized, "API key required", $"Send a valid, unrevoked key in the {Header} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Scope missing", "This integration's key does not have the scope this endpoint needs.");

    private Task Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);
}
