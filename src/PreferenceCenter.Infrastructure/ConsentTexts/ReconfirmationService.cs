using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>Runs the re-confirmation job every <see cref="ConsentTextOptions.ReconfirmationInterval"/> until shutdown.</summary>
public sealed partial class ReconfirmationService(ReconfirmationJob job, IOptions<ConsentTextOptions> options, TimeProvider clock, ILogger<ReconfirmationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await job.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A locked database or a failing provider: the next run picks up where this one stopped.
                    LogFailed(ex);
                }

                await Task.Delay(options.Value.ReconfirmationInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the lease runs out and another instance carries on.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Consent-text re-confirmation run failed; will try again")]
    private partial void LogFailed(Exception exception);
}
