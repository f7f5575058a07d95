using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>Wakes the text dispatcher as soon as a transaction that queued a text commits, so a reply goes out within a moment.</summary>
public sealed class TextQueueSignal
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
            // Nothing queued here: look anyway, for retries that fell due and texts another instance queued.
        }

        if (poked.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _poked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), poked);
        }
    }
}

/// <summary>Runs the text dispatcher until shutdown: straight on while there is work, otherwise when poked or every poll interval.</summary>
public sealed partial class TextDispatcherService(TextDispatcher dispatcher, TextQueueSignal signal, IOptions<TextQueueOptions> options, TimeProvider clock, ILogger<TextDispatcherService> logger) : BackgroundService
{
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
                    // A locked or unreachable database: the texts are in it, nothing is lost; try again later.
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
            // Shutting down; leased texts become due again when their lease ends.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Text dispatch round failed; will try again")]
    private partial void LogFailed(Exception exception);
}
