using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.SignIn;

namespace PreferenceCenter.Web.Features.SignIn;

public static class CustomerSignInEndpoints
{
    public const string CompletePath = "/signin/complete/";

    /// <summary>
    /// The page's live connection verified the code and navigates here with a one-time token: this real request can
    /// set the cookie. A stale or reused token goes back to the sign-in with a notice, never to an error page.
    /// </summary>
    public static IEndpointRouteBuilder MapCustomerSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(CompletePath + "{token}", async (string token, SignInLinks links, CustomerSessions sessions, HttpContext http) =>
        {
            var redemption = await links.RedeemAsync(token, SignInLinkKind.AfterCode, http.RequestAborted);
            if (redemption is { Outcome: SignInLinkOutcome.SignedIn, UserId: { } userId } && await sessions.StartAsync(userId))
            {
                return Results.LocalRedirect("~/preferences?signedin=1");
            }

            return Results.LocalRedirect("~/preferences?signin=failed");
        }).ExcludeFromDescription();
        return app;
    }
}
