using System.Text;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Features.OptInCodes;

internal static class OptInCodeEndpoints
{
    /// <summary>A purpose's opt-in QR code as a PNG or SVG download, for admins; not part of the API or its document.</summary>
    public static IEndpointRouteBuilder MapOptInCodes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/opt-in-codes/{purpose}.{format}", Download)
            .RequireAuthorization(StaffPolicies.Admin)
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Download(string purpose, string format, HttpContext http)
    {
        if (format is not ("png" or "svg"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown image format", detail: "Use .png or .svg.");
        }

        var code = OptInCodeBook.Create(http.RequestServices).Find(purpose);
        if (code is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such purpose");
        }

        if (code.SmsLink is not { } link)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No number to text", detail: $"{code.Name} has no sending number and there is no default sender.");
        }

        http.Response.Headers.CacheControl = "no-store";
        return format == "png"
            ? TypedResults.File(OptInQrCode.Png(link), "image/png", code.FileName("png"))
            : TypedResults.File(Encoding.UTF8.GetBytes(OptInQrCode.Svg(link)), "image/svg+xml", code.FileName("svg"));
    }
}
