namespace PreferenceCenter.Web.Features.Embedding;

internal static partial class EmbedLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Embedded preferences of site {SiteId} failed to load")]
    public static partial void LoadFailed(ILogger logger, string siteId, Exception exception);
}
