using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Web.Features.Webhooks;

/// <summary>The web app's part of webhooks: the payload writer (the API's JSON) and the dispatcher that delivers them.</summary>
internal static class WebhookHosting
{
    public static WebApplicationBuilder AddPreferenceCenterWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IWebhookPayloadWriter, WebhookPayloads>();
        builder.Services.AddHostedService<WebhookDispatcherService>();
        return builder;
    }
}
