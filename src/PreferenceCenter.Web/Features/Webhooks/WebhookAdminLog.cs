namespace PreferenceCenter.Web.Features.Webhooks;

/// <summary>Who changed which subscriber or queued what; never a secret, a URL or a receiver's answer.</summary>
internal static partial class WebhookAdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscriber {SubscriberId} registered by {Admin}")]
    public static partial void Created(ILogger logger, Guid subscriberId, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscriber {SubscriberId} set active={Active} by {Admin}")]
    public static partial void ActiveChanged(ILogger logger, Guid subscriberId, bool active, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} dead letters of webhook subscriber {SubscriberId} queued again by {Admin}")]
    public static partial void DeadLettersRetried(ILogger logger, Guid subscriberId, int count, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook subscriber {SubscriberId} replayed after sequence {AfterSequence} by {Admin}: {Count} deliveries queued")]
    public static partial void Replayed(ILogger logger, Guid subscriberId, long afterSequence, int count, string admin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changing webhook subscriber {SubscriberId} failed")]
    public static partial void ChangeFailed(ILogger logger, Guid subscriberId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the sync status page failed; it tries again at the next tick")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);
}
