using System.Text.Json;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Web.Features.Api;

namespace PreferenceCenter.Web.Features.Webhooks;

/// <summary>
/// The body of one webhook: <c>id</c> (also the <c>webhook-id</c> header; the same on every retry and replay),
/// <c>type</c>, <c>timestamp</c> (when the change happened) and <c>data</c>, the event exactly as the change feed shows it.
/// </summary>
public sealed record WebhookMessage(Guid Id, string Type, DateTimeOffset Timestamp, ApiEvent Data)
{
    public static WebhookMessage From(ConsentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.Action == ConsentAction.Granted ? "consent.granted" : "consent.revoked", e.OccurredAt, ApiEvent.From(e));
    }
}

/// <summary>Serialises with the API's own JSON options, so <c>data</c> is byte for byte what <c>/api/v1/changes</c> returns.</summary>
internal sealed class WebhookPayloads(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IWebhookPayloadWriter
{
    public byte[] Write(ConsentEvent consentEvent) => JsonSerializer.SerializeToUtf8Bytes(WebhookMessage.From(consentEvent), json.Value.SerializerOptions);
}
