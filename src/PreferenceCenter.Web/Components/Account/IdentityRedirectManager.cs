using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Components.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalPath(uri));

    /// <summary>
    /// A path inside this app for <paramref name="uri"/>, or "" (the home page) for anything that could leave the site:
    /// other hosts, protocol-relative <c>//host</c> and <c>/\host</c>, and anything that is not a well-formed relative URI.
    /// </summary>
    public string LocalPath(string? uri) => LocalPath(uri, navigationManager.BaseUri);

    /// <summary>As <see cref="LocalPath(string?)"/>, for endpoints outside a component (no NavigationManager there).</summary>
    public static string LocalPath(string? uri, string baseUri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "";
        }

        if (uri.StartsWith(baseUri, StringComparison.OrdinalIgnoreCase))
        {
            uri = uri[baseUri.Length..];
        }
        else if (uri.StartsWith('/'))
        {
            if (uri.Length > 1 && (uri[1] == '/' || uri[1] == '\\'))
            {
                return "";
            }

            uri = uri.TrimStart('/');
        }

        // Still a scheme (http:, javascript:), a backslash or a control character: not a path of ours.
        var pathEnd = uri.IndexOfAny(['/', '?', '#']);
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var hasScheme = colon >= 0 && (pathEnd < 0 || colon < pathEnd);
        return !hasScheme && !uri.Contains('\\', StringComparison.Ordinal) && Uri.IsWellFormedUriString(uri, UriKind.Relative) ? uri : "";
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<ApplicationUser> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
