namespace PreferenceCenter.Web.Features.Staff;

internal static partial class StaffConsoleLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a revocation on a customer's behalf failed")]
    public static partial void RevocationFailed(ILogger logger, Exception exception);
}
