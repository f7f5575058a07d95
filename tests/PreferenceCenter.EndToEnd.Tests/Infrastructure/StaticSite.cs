using System.Net;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>A real web server on another loopback port serving one page: an origin of its own for the browser.</summary>
public sealed class StaticSite : IDisposable
{
    private readonly HttpListener _listener = new();

    public StaticSite(string? html)
    {
        Html = html ?? string.Empty;
        Url = $"http://127.0.0.1:{DroppingProxy.FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    public string Html { get; set; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var body = System.Text.Encoding.UTF8.GetBytes(Html);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
