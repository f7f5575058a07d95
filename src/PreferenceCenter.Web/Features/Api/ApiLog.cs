namespace PreferenceCenter.Web.Features.Api;

/// <summary>One log line per API call, attributed to the integration whose key made it.</summary>
/// <remarks>
/// A middleware rather than an endpoint filter: a filter sends every call through the filtered invocation path
/// (argument and result boxing), which the consent check, asked before every text, should not pay; and a middleware
/// also sees the calls refused by the rate limiter.
/// </remarks>
internal static partial class ApiLog
{
    public const string Category = "PreferenceCenter.Api";

    public static IApplicationBuilder UseApiCallLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!ApiRegistration.IsApi(context.Request))
            {
                await next(context);
                return;
            }

            var failed = true;
            try
            {
                await next(context);
                failed = false;
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    // The route pattern only: query strings and paths may hold phone numbers.
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                    var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                    var integration = context.User.IntegrationId();
                    var name = integration is null ? null : context.User.Identity?.Name;
                    Called(logger, context.Request.Method, route, integration, name, status);
                }
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API {Method} {Route} by integration {IntegrationId} ({IntegrationName}) → {Status}")]
    private static partial void Called(ILogger logger, string method, string? route, string? integrationId, string? integrationName, int status);
}
