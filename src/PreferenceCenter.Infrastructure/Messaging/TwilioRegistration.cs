using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Messaging;

public static class TwilioRegistration
{
    /// <summary>The resilience pipeline's name, as it appears in Polly's logs and metrics.</summary>
    public const string PipelineName = "twilio-sms";

    /// <summary>
    /// Makes <see cref="TwilioSmsSender"/> the <see cref="ISmsSender"/> (replacing any earlier one), with options from
    /// <c>Sms:Twilio</c> validated at start-up and a resilience pipeline: total timeout, then retry, then per-attempt timeout.
    /// </summary>
    public static IServiceCollection AddTwilioSms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient<TwilioSmsSender>((sp, client) =>
            {
                // A trailing slash, so the sender's relative request path keeps any path in BaseUrl.
                client.BaseAddress = new Uri(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute);

                // The pipeline's timeouts govern; HttpClient's own 100 s timeout would cut across them.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })

            // The sender is held by singletons, so its handler is never rotated: recycle pooled connections instead (DNS changes).
            .UseSocketsHttpHandler((handler, _) =>
            {
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
                handler.AllowAutoRedirect = false;
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // HttpClient's default request logging writes the URL, and the URL holds the account SID; the sender logs instead.
            .RemoveAllLoggers()
            .AddResilienceHandler(PipelineName, static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TwilioOptions>>().Value;
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
                if (options.MaxRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMilliseconds),
                        ShouldRetryAfterHeader = true,

                        // Twilio's Messages API has no documented idempotency key, so only failures that prove the message was
                        // not accepted (429, 5xx, no connection) are retried; a timed-out attempt may already have sent the text.
                        ShouldHandle = static args => ValueTask.FromResult(ProvesNotAccepted(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
            });

        services.RemoveAll<ISmsSender>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<TwilioSmsSender>());
        return services;
    }

    /// <summary>Whether an attempt's outcome shows Twilio did not take the message, so sending it again cannot duplicate it.</summary>
    internal static bool ProvesNotAccepted(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode is >= 500 and <= 599,
        { Exception: HttpRequestException exception } => FailedBeforeSending(exception),
        _ => false,
    };

    /// <summary>True for failures while connecting (DNS, TCP, TLS, proxy), before any byte of the request left.</summary>
    internal static bool FailedBeforeSending(HttpRequestException exception) => exception.HttpRequestError is
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;
}
