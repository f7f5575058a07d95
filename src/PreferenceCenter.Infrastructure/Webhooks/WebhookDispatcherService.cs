using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>Wakes the dispatcher early (an admin queued a retry or a replay) instead of waiting for the next poll.</summary>
public sealed class WebhookSignal
{
    private TaskCompletionSource _poked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Poke() => Volatile.Read(ref _poked).TrySetResult();

    internal async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var poked = Volatile.Read(ref _poked);
        try
        {
            await poked.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The usual case: nothing happened, look again anyway.
        }

        if (poked.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _poked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), poked);
        }
    }
}

/// <summary>Runs the dispatcher until shutdown: straight on while there is work, otherwise every poll interval.</summary>
/// <remarks>It takes the lag gauge so that the gauge exists (and reports) wherever the dispatcher runs.</remarks>
public sealed partial class WebhookDispatcherService(WebhookDispatcher dispatcher, WebhookSignal signal, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcherService> logger, WebhookLagGauge lag) : BackgroundService
{
    public WebhookLagGauge Lag => lag;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var busy = false;
                try
                {
                    busy = await dispatcher.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A locked or unreachable database: nothing is lost (the outbox and deliveries are in it), try again later.
                    LogFailed(ex);
                }

                if (!busy)
                {
                    await signal.WaitAsync(options.Value.PollInterval, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; leased deliveries become due again when their lease ends.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch round failed; will try again")]
    private partial void LogFailed(Exception exception);
}
