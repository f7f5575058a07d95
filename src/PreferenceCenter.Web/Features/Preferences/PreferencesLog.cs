namespace PreferenceCenter.Web.Features.Preferences;

internal static partial class PreferencesLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the preferences page failed")]
    public static partial void LoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Saving a consent change failed")]
    public static partial void SaveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Phone verification step failed")]
    public static partial void VerificationFailed(ILogger logger, Exception exception);
}
