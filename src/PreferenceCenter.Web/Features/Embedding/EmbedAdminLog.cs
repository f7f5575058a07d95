namespace PreferenceCenter.Web.Features.Embedding;

/// <summary>Who changed which embed site; never the secret itself.</summary>
internal static partial class EmbedAdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Embed site {SiteId} registered by {Admin}")]
    public static partial void SiteRegistered(ILogger logger, string siteId, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing secret of embed site {SiteId} rotated by {Admin}")]
    public static partial void SecretRotated(ILogger logger, string siteId, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embed site {SiteId} disabled by {Admin}")]
    public static partial void SiteDisabled(ILogger logger, string siteId, string admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changing embed site {SiteId} failed")]
    public static partial void ChangeFailed(ILogger logger, string siteId, Exception exception);
}
