namespace PreferenceCenter.Web.Features.Api;

/// <summary>
/// Every error under /api and /sms leaves as <c>application/problem+json</c>, whatever produced it: a refused route
/// (404, 405, the 415 of an endpoint's declared content type), a value minimal APIs could not bind (400), a request
/// the server refused to read (a body or form over its limit: 413), or a failure nobody handled (500, without
/// details). Without this the site's status code pages would answer those callers with an HTML page.
/// </summary>
internal static partial class ApiProblemResponses
{
        public static bool Covers(HttpRequest request) =>
        ApiRegistration.IsApi(request) || request.Path.StartsWithSegments("/sms", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseApiProblemResponses(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(ApiLog.Category);
        return app.Use(async (context, next) =>
        {
            if (!Covers(context.Request))
            {
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, ex.StatusCode, ex.Message);
                return;
            }
            catch (InvalidDataException ex) when (!context.Response.HasStarted)
            {
                // The form reader's limits (value length, key count, multipart sections) and malformed multipart bodies.
                await WriteAsync(context, IsLimit(ex) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, ex.Message);
                return;
            }
            catch (IOException ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // A body that ends before its own framing does (a multipart section cut short).
                await WriteAsync(context, StatusCodes.Status400BadRequest, ex.Message);
                return;
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                LogUnhandled(logger, context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText, ex);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "The request could not be completed. Nothing was saved unless the answer says so; try again later.");
                return;
            }

            var response = context.Response;
            if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                await WriteAsync(context, response.StatusCode, null);
            }
        });
    }

    internal static bool IsLimit(InvalidDataException ex) => ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase);

    private static async Task WriteAsync(HttpContext context, int status, string? detail)
    {
        var response = context.Response;
        var allow = response.Headers.Allow;
        response.Clear();
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = allow;
        }

        response.StatusCode = status;
        // Written whatever the caller's Accept header says (the problem details service would refuse "Accept: text/html").
        await Results.Problem(statusCode: status, title: TitleOf(status), detail: detail ?? DetailOf(status)).ExecuteAsync(context);
    }

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status408RequestTimeout => "Request timeout",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "Request headers too large",
        StatusCodes.Status500InternalServerError => "Server error",
        _ => "Request failed",
    };

    private static string DetailOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "A route value, query parameter, header or body could not be read as this endpoint expects: see /openapi/v1.json.",
        StatusCodes.Status404NotFound => "There is no such endpoint or resource: see /openapi/v1.json.",
        StatusCodes.Status405MethodNotAllowed => "This endpoint does not answer this method: the Allow header lists the ones it does.",
        StatusCodes.Status415UnsupportedMediaType => "This endpoint does not accept this Content-Type: send application/json (the SMS webhook takes a form post).",
        StatusCodes.Status413PayloadTooLarge => "The request body is over this endpoint's size limit.",
        _ => "The request could not be completed.",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception answering {Method} {Route}")]
    private static partial void LogUnhandled(ILogger logger, string method, string? route, Exception exception);
}
