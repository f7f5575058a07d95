using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PreferenceCenter.Testing;

/// <summary>One POST as the receiver saw it, with the status it answered.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, byte[] Body, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public long Sequence => Json.GetProperty("data").GetProperty("sequence").GetInt64();

    public Guid CustomerId => Json.GetProperty("data").GetProperty("customerId").GetGuid();

    public bool Accepted => AnsweredWith is >= 200 and < 300;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a subscriber's endpoint. It records every POST, answers 200 (or
/// whatever <see cref="Answer"/> says), and can be stopped and started again on the same port, like a receiver that
/// was down for a while.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;

    private WebhookReceiver()
    {
    }

    public int Port { get; private set; }

    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    /// <summary>The body sent with a non-2xx answer.</summary>
    public string ErrorBody { get; set; } = "{\"error\":\"receiver unavailable\"}";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public IReadOnlyList<ReceivedWebhook> Accepted => [.. _received.Where(r => r.Accepted)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartOnAsync(0);
        return receiver;
    }

    public string Url(string path = "/hooks") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Stops listening: connections are refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public Task RestartAsync() => StartOnAsync(Port);

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartOnAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapPost("/{**path}", (RequestDelegate)HandleAsync);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var status = (int)Answer;
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedWebhook(
            context.Request.Path, headers["webhook-id"].FirstOrDefault(), headers["webhook-timestamp"].FirstOrDefault(), headers["webhook-signature"].FirstOrDefault(),
            context.Request.ContentType, body.ToArray(), status));
        context.Response.StatusCode = status;
        if (status >= 300)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(ErrorBody), context.RequestAborted);
        }
    }
}

internal static class Poll
{
    /// <summary>Checks a condition until it holds; fails with <paramref name="what"/> after the timeout (never a fixed wait).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout);
}
