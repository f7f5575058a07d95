namespace PreferenceCenter.Web.Features.Agent;

internal static partial class AgentLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a revocation on a customer's behalf failed")]
    public static partial void RevocationFailed(ILogger logger, Exception exception);
}
