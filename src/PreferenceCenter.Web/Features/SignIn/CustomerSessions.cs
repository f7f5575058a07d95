using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.SignIn;

namespace PreferenceCenter.Web.Features.SignIn;

/// <summary>Starts a customer's session once their number is proved (ADR 22): a cookie with a fixed lifetime.</summary>
public sealed class CustomerSessions(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOptions<CustomerSignInOptions> options,
    TimeProvider clock)
{
    /// <summary>The <c>amr</c> claim's value: the session was opened with something sent to the phone.</summary>
    public const string PhoneMethod = "sms";

    public async Task<bool> StartAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return false;
        }

        // Absolute, not sliding: a phone left on a café table should not keep the page open for days.
        var properties = new AuthenticationProperties
        {
            IsPersistent = true,
            AllowRefresh = false,
            ExpiresUtc = clock.GetUtcNow().AddHours(options.Value.SessionHours),
        };
        await signIn.SignInWithClaimsAsync(user, properties, [new Claim("amr", PhoneMethod)]);
        return true;
    }
}
