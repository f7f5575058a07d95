using Microsoft.AspNetCore.Components.Server.Circuits;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Web.Features.Common;

/// <summary>
/// What the browser told us when its circuit connected (IP, user agent, language). Interactive components have no
/// HttpContext of their own, so evidence for the consent log is captured once per circuit.
/// </summary>
public sealed class ClientContext
{
    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Locale { get; private set; }

    /// <summary>The origin of the page the circuit runs in, e.g. <c>https://prefs.example.com</c>.</summary>
    public string? Origin { get; private set; }

    /// <summary>How changes on this circuit are made: <c>web</c>, or <c>embedded:&lt;site&gt;</c> inside a host's frame.</summary>
    public string Method { get; private set; } = ConsentMethod.Web;

    /// <summary>This circuit runs the framed page of an embed site: its events carry that method and the host's origin.</summary>
    public void UseEmbedding(string method, string? embeddingOrigin)
    {
        Method = method;
        Origin = embeddingOrigin ?? Origin;
    }

    public void Capture(HttpContext? http)
    {
        if (http is null)
        {
            return;
        }

        IpAddress = http.Connection.RemoteIpAddress?.ToString();
        UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null;
        var language = http.Request.Headers.AcceptLanguage.ToString().Split(',', 2)[0].Split(';', 2)[0].Trim();
        Locale = language.Length > 0 ? language : null;

        // Browsers send Origin on the circuit's WebSocket/negotiate request; the host is the fallback for old ones.
        // An embedded circuit has already been told the host page's origin, which is the one that matters.
        Origin = Method != ConsentMethod.Web ? Origin : http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : $"{http.Request.Scheme}://{http.Request.Host}";
    }

    /// <summary>Evidence for a change made by the customer on this page.</summary>
    public ConsentEvidence Evidence(Guid customerId) =>
        new(Method, $"customer:{customerId}", IpAddress, UserAgent, Locale, Origin: Origin);

    /// <summary>The two-letter language for consent texts.</summary>
    public string Language => Locale is { Length: >= 2 } l ? l[..2].ToLowerInvariant() : "en";
}

internal sealed class ClientContextCircuitHandler(ClientContext context, IHttpContextAccessor accessor) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The accessor yields the SignalR connection's request here: the browser's own IP and headers.
        context.Capture(accessor.HttpContext);
        return Task.CompletedTask;
    }
}
