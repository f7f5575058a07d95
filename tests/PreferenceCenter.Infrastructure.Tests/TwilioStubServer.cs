using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>One request as the stub saw it.</summary>
public sealed record TwilioStubRequest(
    string AccountSid,
    string? ContentType,
    string? Authorization,
    string? IdempotencyToken,
    IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for Twilio's Messages API. It records every request, answers 201 with a
/// message SID by default, and can be scripted to fail first, fail always, or accept a message and then never answer.
/// </summary>
public sealed class TwilioStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HttpStatusCode> _scripted = new();
    private readonly ConcurrentQueue<TwilioStubRequest> _requests = new();
    private readonly ConcurrentQueue<string> _created = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpStatusCode? _always;
    private volatile bool _holdAccepted;

    private TwilioStubServer(WebApplication app)
    {
        _app = app;
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", (RequestDelegate)HandleAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<TwilioStubRequest> Requests => [.. _requests];

    /// <summary>The SIDs of messages the stub "created" (accepted for delivery): one per real text.</summary>
    public IReadOnlyList<string> CreatedMessageSids => [.. _created];

    /// <summary>Completes when the first request has been recorded.</summary>
    public Task FirstRequestReceived => _firstRequest.Task;

    public static async Task<TwilioStubServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var stub = new TwilioStubServer(builder.Build());
        await stub._app.StartAsync();
        var address = stub._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        stub.BaseAddress = new Uri(address);
        return stub;
    }

    /// <summary>Answers the next requests with these statuses, in order, then goes back to the default answer.</summary>
    public void ReplyFirstWith(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _scripted.Enqueue(status);
        }
    }

    /// <summary>Answers every request (after any scripted ones) with this status instead of 201.</summary>
    public void ReplyAlwaysWith(HttpStatusCode status) => _always = status;

    /// <summary>Creates the message, then never answers (until disposed): the response is lost after Twilio took the text.</summary>
    public void AcceptButNeverAnswer() => _holdAccepted = true;

    public async ValueTask DisposeAsync()
    {
        _releaseHeld.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(context.RequestAborted))
            {
                form[key] = value.ToString();
            }
        }

        _requests.Enqueue(new TwilioStubRequest(
            context.GetRouteValue("accountSid")?.ToString() ?? string.Empty,
            request.ContentType,
            request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString(),
            request.Headers.TryGetValue("I-Twilio-Idempotency-Token", out var token) ? token.ToString() : null,
            form));
        _firstRequest.TrySetResult();

        var status = _scripted.TryDequeue(out var scripted) ? scripted : _always ?? HttpStatusCode.Created;
        if (status != HttpStatusCode.Created)
        {
            // Like Twilio's errors, the message can quote the number: the sender must not pass it on.
            await WriteJsonAsync(context, status, new
            {
                code = status == HttpStatusCode.BadRequest ? 21211 : 20500 + (int)status % 100,
                message = $"The 'To' number {form.GetValueOrDefault("To")} could not be used.",
                more_info = "https://www.twilio.com/docs/errors",
                status = (int)status,
            });
            return;
        }

        var sid = "SM" + Guid.NewGuid().ToString("N");
        _created.Enqueue(sid);
        if (_holdAccepted)
        {
            try
            {
                await _releaseHeld.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await WriteJsonAsync(context, HttpStatusCode.Created, new
        {
            sid,
            status = "queued",
            to = form.GetValueOrDefault("To"),
            from = form.GetValueOrDefault("From"),
            body = form.GetValueOrDefault("Body"),
        });
    }

    private static async Task WriteJsonAsync(HttpContext context, HttpStatusCode status, object body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
