namespace PreferenceCenter.Web.Features.Integrations;

/// <summary>Who changed which integration; never the key, nor its prefix.</summary>
internal static partial class IntegrationAdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Integration {IntegrationId} created by {Admin}")]
    public static partial void Created(ILogger logger, Guid integrationId, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Key of integration {IntegrationId} revoked by {Admin}")]
    public static partial void Revoked(ILogger logger, Guid integrationId, string admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking integration {IntegrationId} failed")]
    public static partial void RevokeFailed(ILogger logger, Guid integrationId, Exception exception);
}
