using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;

namespace PreferenceCenter.Web.Features.Common;

/// <summary>
/// What the browser told us when its circuit connected (IP, user agent), and the language the page is shown in.
/// Interactive components have no HttpContext of their own, so evidence for the consent log is captured once per
/// circuit.
/// </summary>
public sealed class ClientContext
{
    private CultureInfo? _culture;

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>
    /// The culture this circuit's page is shown in: the connecting request's (language cookie, else Accept-Language,
    /// else the default), or the one an embedded page chose (<see cref="UseCulture"/>).
    /// </summary>
    public CultureInfo Culture => _culture ?? CultureInfo.CurrentUICulture;

    /// <summary>The page's language (<c>en</c>, <c>es</c>): consent texts are shown, and events recorded, in it.</summary>
    public string Language => Languages.Match(Culture.Name) ?? Languages.English;

    /// <summary>The locale consent events record: the language the customer read the page in.</summary>
    public string Locale => Language;

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

        // Request localization has set the connecting request's culture; a reconnect keeps the one already in use.
        _culture ??= CultureInfo.CurrentUICulture;

        // Browsers send Origin on the circuit's WebSocket/negotiate request; the host is the fallback for old ones.
        // An embedded circuit has already been told the host page's origin, which is the one that matters.
        Origin = Method != ConsentMethod.Web ? Origin : http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : $"{http.Request.Scheme}://{http.Request.Host}";
    }

    /// <summary>Shows this circuit's page in <paramref name="culture"/> from the next event on (the embedded page's switch).</summary>
    public void UseCulture(CultureInfo culture)
    {
        _culture = culture;
        Apply();
    }

    /// <summary>Makes <see cref="Culture"/> the current culture of the calling flow (resources, dates, numbers).</summary>
    public void Apply()
    {
        var culture = Culture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    /// <summary>Evidence for a change made by the customer on this page.</summary>
    public ConsentEvidence Evidence(Guid customerId) =>
        new(Method, $"customer:{customerId}", IpAddress, UserAgent, Locale, Origin: Origin);
}

internal sealed class ClientContextCircuitHandler(ClientContext context, IHttpContextAccessor accessor) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The accessor yields the SignalR connection's request here: the browser's own IP and headers.
        context.Capture(accessor.HttpContext);
        return Task.CompletedTask;
    }

    // A circuit's culture is the connecting request's, fixed for its life. An embedded page cannot reload to change
    // it (its link works once), so every event, JS call and navigation of the circuit runs in the page's own culture.
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        activity =>
        {
            context.Apply();
            return next(activity);
        };
}
