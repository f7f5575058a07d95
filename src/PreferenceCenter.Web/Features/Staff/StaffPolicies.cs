using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Features.Staff;

/// <summary>
/// Authorization policies of the staff pages: the role, and a sign-in that proved a second factor (ADR 24).
/// Use <c>[Authorize(Policy = StaffPolicies.AnyStaff)]</c> rather than <c>Roles = ...</c> on every staff page and endpoint.
/// </summary>
public static class StaffPolicies
{
    /// <summary>Agents and admins.</summary>
    public const string AnyStaff = "Staff";

    /// <summary>Admins only.</summary>
    public const string Admin = "StaffAdmin";

    /// <summary>
    /// A staff member's own account pages (password, authenticator, passkeys), open before the second factor is set up
    /// so it can be. Customers have no account pages: their number is their account (ADR 22).
    /// </summary>
    public const string OwnAccount = "StaffOwnAccount";

    /// <summary>Where a staff member without a second factor is sent.</summary>
    public const string EnrolmentPath = "/Account/SecondFactor";
}

/// <summary>The sign-in proved a second factor (authenticator app, recovery code or passkey).</summary>
public sealed class SecondFactorRequirement : IAuthorizationRequirement;

internal sealed class SecondFactorHandler : AuthorizationHandler<SecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorRequirement requirement)
    {
        if (StaffSignInManager.HasSecondFactor(context.User))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A staff member whose only missing piece is the second factor goes to enrol, not to "access denied".</summary>
internal sealed class SecondFactorEnrolmentRedirect : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList();
        if (authorizeResult.Forbidden && failed is { Count: > 0 } && failed.All(r => r is SecondFactorRequirement))
        {
            var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
            context.Response.Redirect($"{context.Request.PathBase}{StaffPolicies.EnrolmentPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
