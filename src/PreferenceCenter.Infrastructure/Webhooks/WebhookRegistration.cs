using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PreferenceCenter.Infrastructure.Webhooks;

public static class WebhookRegistration
{
    /// <summary>Subscribers, the sync status and the dispatcher; the host adds the payload writer and runs the dispatcher.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSubscribers>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookSync>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookLagGauge>();

        // Retries are scheduled in the database (they span a day and survive restarts), so the client has no retry
        // handler; the timeout is per attempt, in the dispatcher. Redirects are failures: the registered URL is the one signed for.
        // The connection is made by ReceiverConnector, which checks the address it connects to (SSRF, ADR 25); no
        // proxy, since a proxy would resolve the name itself, past that check.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("PreferenceCenter-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = ReceiverConnector.Create(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks),
            });
        return services;
    }
}
