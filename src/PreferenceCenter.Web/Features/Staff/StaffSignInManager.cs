using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Features.Staff;

/// <summary>
/// Identity's sign-in manager that writes into the cookie whether this sign-in proved a second factor
/// (authenticator code, recovery code or passkey): <c>amr=mfa</c>, which <see cref="StaffPolicies"/> requires on staff pages.
/// Failed recovery codes count toward lockout like failed authenticator codes.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>The <c>amr</c> (authentication methods reference, RFC 8176) claim type.</summary>
    public const string MethodClaim = "amr";

    /// <summary>The value that says the sign-in proved more than a password.</summary>
    public const string MultiFactor = "mfa";

    private SecondFactor _next = SecondFactor.Keep;

    private enum SecondFactor
    {
        Keep,
        Proven,
        Dropped,
    }

    public static bool HasSecondFactor(ClaimsPrincipal user) => user.HasClaim(MethodClaim, MultiFactor);

    /// <summary>
    /// Password, authenticator, recovery-code and passkey sign-ins are for staff only: anyone else gets "not allowed"
    /// before the password is even checked, so the answer is the same as for an unknown account.
    /// Customers sign in with their phone number, which does not come through here.
    /// </summary>
    protected override async Task<SignInResult?> PreSignInCheck(ApplicationUser user)
    {
        foreach (var role in StaffRoles.All)
        {
            if (await UserManager.IsInRoleAsync(user, role))
            {
                return await base.PreSignInCheck(user);
            }
        }

        return SignInResult.NotAllowed;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        _next = SecondFactor.Proven;
        try
        {
            return await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        }
        finally
        {
            _next = SecondFactor.Keep;
        }
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        if (user is not null && await UserManager.IsLockedOutAsync(user))
        {
            return SignInResult.LockedOut;
        }

        _next = SecondFactor.Proven;
        SignInResult result;
        try
        {
            result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        }
        finally
        {
            _next = SecondFactor.Keep;
        }

        // The framework does not count wrong recovery codes; staff accounts do, like wrong authenticator codes.
        if (!result.Succeeded && user is not null && UserManager.SupportsUserLockout)
        {
            await UserManager.AccessFailedAsync(user);
            if (await UserManager.IsLockedOutAsync(user))
            {
                return SignInResult.LockedOut;
            }
        }

        return result;
    }

    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        // A passkey is something you have, unlocked by something you are or know: two factors in one.
        _next = SecondFactor.Proven;
        try
        {
            return await base.PasskeySignInAsync(credentialJson);
        }
        finally
        {
            _next = SecondFactor.Keep;
        }
    }

    /// <summary>Re-issues the cookie as two-factor after the signed-in user has just proved a new factor (enrolment).</summary>
    public async Task RefreshWithSecondFactorAsync(ApplicationUser user)
    {
        _next = SecondFactor.Proven;
        try
        {
            await RefreshSignInAsync(user);
        }
        finally
        {
            _next = SecondFactor.Keep;
        }
    }

    /// <summary>Re-issues the cookie without the second factor (the authenticator was reset, so it no longer counts).</summary>
    public async Task RefreshWithoutSecondFactorAsync(ApplicationUser user)
    {
        _next = SecondFactor.Dropped;
        try
        {
            await RefreshSignInAsync(user);
        }
        finally
        {
            _next = SecondFactor.Keep;
        }
    }

    public override Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.Where(c => !(c.Type == MethodClaim && c.Value == MultiFactor)).ToList();
        var hadSecondFactor = additionalClaims.Any(c => c.Type == MethodClaim && c.Value == MultiFactor);
        if (_next == SecondFactor.Proven || (_next == SecondFactor.Keep && hadSecondFactor))
        {
            claims.Add(new Claim(MethodClaim, MultiFactor));
        }

        return base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }
}
