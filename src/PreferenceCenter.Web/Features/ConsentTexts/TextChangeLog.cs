namespace PreferenceCenter.Web.Features.ConsentTexts;

internal static partial class TextChangeLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save the answer to consent text {TextId}")]
    public static partial void AnswerFailed(ILogger logger, int textId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consent text admin action refused: {Problem}")]
    public static partial void AdminRefused(ILogger logger, string problem);
}
