namespace PreferenceCenter.Web.Features.Api;

internal static partial class ApiLog
{
    // The route pattern only: query strings may hold phone numbers.
    [LoggerMessage(Level = LogLevel.Information, Message = "API {Method} {Route} by integration {IntegrationId} ({IntegrationName}) → {Status}")]
    public static partial void Called(ILogger logger, string method, string? route, string? integrationId, string? integrationName, int status);
}
