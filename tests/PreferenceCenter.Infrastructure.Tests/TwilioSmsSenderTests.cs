using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// The Twilio sender as the app builds it (<see cref="TwilioRegistration.AddTwilioSms"/>, real resilience pipeline),
/// talking HTTP to <see cref="TwilioStubServer"/> on 127.0.0.1. Nothing here reaches the internet.
/// </summary>
public sealed class TwilioSmsSenderTests
{
    // Made-up values in Twilio's formats; none of them is a real credential.
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "stub-auth-token-f00dfeed";
    private const string DefaultFrom = "+15005550006";
    private const string To = "+447700900123";
    private const string Body = "Your PreferenceCenter code is 482913";

    private static readonly SmsMessage Message = new(To, Body, SmsKind.VerificationCode);

    [Fact]
    public async Task SendAsync_PostsFormWithBasicAuthAndDefaultFrom_WhenMessageHasNoFrom()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        await using var services = BuildServices(stub.BaseAddress);

        await services.GetRequiredService<ISmsSender>().SendAsync(Message);

        var request = Assert.Single(stub.Requests);
        Assert.Equal(AccountSid, request.AccountSid);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), request.Authorization);
        Assert.Equal(To, request.Form["To"]);
        Assert.Equal(DefaultFrom, request.Form["From"]);
        Assert.Equal(Body, request.Form["Body"]);
        Assert.True(Guid.TryParse(request.IdempotencyToken, out _));
        Assert.Single(stub.CreatedMessageSids);
    }

    [Fact]
    public async Task SendAsync_SendsFromTheMessagesNumber_WhenMessageHasFrom()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        await using var services = BuildServices(stub.BaseAddress);

        await services.GetRequiredService<ISmsSender>().SendAsync(Message with { Kind = SmsKind.Promotion, FromE164 = "+15005550009" });

        Assert.Equal("+15005550009", Assert.Single(stub.Requests).Form["From"]);
    }

    [Fact]
    public async Task SendAsync_UsesANewIdempotencyToken_ForEachMessage()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        await using var services = BuildServices(stub.BaseAddress);
        var sender = services.GetRequiredService<ISmsSender>();

        await sender.SendAsync(Message);
        await sender.SendAsync(Message);

        Assert.Equal(2, stub.Requests.Select(r => r.IdempotencyToken).Distinct().Count());
        Assert.Equal(2, stub.CreatedMessageSids.Count);
    }

    [Fact]
    public async Task SendAsync_RetriesWithTheSameIdempotencyToken_WhenTwilioAnswers503Twice()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.ReplyFirstWith(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable);
        await using var services = BuildServices(stub.BaseAddress);

        await services.GetRequiredService<ISmsSender>().SendAsync(Message);

        Assert.Equal(3, stub.Requests.Count);
        var token = stub.Requests[0].IdempotencyToken;
        Assert.NotNull(token);
        Assert.All(stub.Requests, r => Assert.Equal(token, r.IdempotencyToken));
        Assert.All(stub.Requests, r => Assert.Equal(Body, r.Form["Body"]));
        Assert.Single(stub.CreatedMessageSids);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenTwilioAnswers429()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.ReplyFirstWith(HttpStatusCode.TooManyRequests);
        await using var services = BuildServices(stub.BaseAddress);

        await services.GetRequiredService<ISmsSender>().SendAsync(Message);

        Assert.Equal(2, stub.Requests.Count);
        Assert.Single(stub.CreatedMessageSids);
    }

    [Fact]
    public async Task SendAsync_ThrowsWithoutRetrying_WhenTwilioAnswers400()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.ReplyAlwaysWith(HttpStatusCode.BadRequest);
        await using var services = BuildServices(stub.BaseAddress);

        var error = await Assert.ThrowsAsync<SmsDeliveryException>(() => services.GetRequiredService<ISmsSender>().SendAsync(Message));

        Assert.Single(stub.Requests);
        Assert.Empty(stub.CreatedMessageSids);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(21211, error.ProviderErrorCode);
        Assert.False(error.OutcomeUnknown);
        AssertHoldsNoSecrets(error.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(2)]
    public async Task SendAsync_GivesUpAfterMaxRetriesPlusOneAttempts_WhenTwilioAlwaysAnswers500(int? maxRetries)
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.ReplyAlwaysWith(HttpStatusCode.InternalServerError);
        await using var services = BuildServices(
            stub.BaseAddress, maxRetries is null ? null : new() { ["Sms:Twilio:MaxRetries"] = maxRetries.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var error = await Assert.ThrowsAsync<SmsDeliveryException>(() => services.GetRequiredService<ISmsSender>().SendAsync(Message));

        Assert.Equal((maxRetries ?? 3) + 1, stub.Requests.Count);
        Assert.Single(stub.Requests.Select(r => r.IdempotencyToken).Distinct());
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.False(error.OutcomeUnknown);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendAsync_DoesNotRetry_WhenAnAttemptTimesOutAfterTwilioTookTheMessage()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.AcceptButNeverAnswer();
        var clock = new FakeTimeProvider();
        await using var services = BuildServices(stub.BaseAddress, configure: s => s.AddSingleton<TimeProvider>(clock));
        var sender = services.GetRequiredService<ISmsSender>();

        var sending = sender.SendAsync(Message);
        await stub.FirstRequestReceived.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(services.GetRequiredService<IOptions<TwilioOptions>>().Value.AttemptTimeoutSeconds + 1));
        var error = await Assert.ThrowsAsync<SmsDeliveryException>(() => sending);

        Assert.True(error.OutcomeUnknown);
        Assert.Null(error.StatusCode);
        Assert.Single(stub.Requests);
        Assert.Single(stub.CreatedMessageSids);
    }

    [Fact]
    public async Task SendAsync_RetriesThenThrows_WhenNothingListens()
    {
        Uri closedAddress;
        await using (var stopped = await TwilioStubServer.StartAsync())
        {
            closedAddress = stopped.BaseAddress;
        }

        var attempts = new AttemptCounter();
        await using var services = BuildServices(
            closedAddress,
            configure: s => s.AddHttpClient(nameof(TwilioSmsSender)).AddHttpMessageHandler(() => new CountingHandler(attempts)));

        var error = await Assert.ThrowsAsync<SmsDeliveryException>(() => services.GetRequiredService<ISmsSender>().SendAsync(Message));

        Assert.Equal(4, attempts.Count);
        Assert.False(error.OutcomeUnknown);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task SendAsync_LogsMaskedNumberAndMessageSid_AndNeverNumbersBodiesOrCredentials()
    {
        await using var stub = await TwilioStubServer.StartAsync();
        stub.ReplyFirstWith(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadRequest);
        using var logs = new CapturingLoggerProvider();
        await using var services = BuildServices(stub.BaseAddress, logs: logs);
        var sender = services.GetRequiredService<ISmsSender>();

        await Assert.ThrowsAsync<SmsDeliveryException>(() => sender.SendAsync(Message));
        await sender.SendAsync(Message);

        var text = string.Join(Environment.NewLine, logs.Lines);
        Assert.Contains("+•••••••••123", text, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(stub.CreatedMessageSids), text, StringComparison.Ordinal);
        Assert.Contains("OnRetry", text, StringComparison.Ordinal);
        AssertHoldsNoSecrets(text);
    }

    [Fact]
    public async Task AddTwilioSms_FailsHostStart_WhenAccountSidAndAuthTokenAreMissing()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTwilioSms(Configuration(new() { ["Sms:Twilio:AccountSid"] = null, ["Sms:Twilio:AuthToken"] = "" }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains(nameof(TwilioOptions.AccountSid), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(TwilioOptions.AuthToken), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sms:Twilio:AccountSid", "ACnot-a-sid", nameof(TwilioOptions.AccountSid))]
    [InlineData("Sms:Twilio:DefaultFromE164", "07700900123", nameof(TwilioOptions.DefaultFromE164))]
    [InlineData("Sms:Twilio:BaseUrl", "http://api.twilio.com", nameof(TwilioOptions.BaseUrl))]
    [InlineData("Sms:Twilio:BaseUrl", "not a url", nameof(TwilioOptions.BaseUrl))]
    [InlineData("Sms:Twilio:TotalTimeoutSeconds", "5", nameof(TwilioOptions.TotalTimeoutSeconds))]
    [InlineData("Sms:Twilio:MaxRetries", "-1", nameof(TwilioOptions.MaxRetries))]
    public void AddTwilioSms_RejectsOptions_WhenASettingIsInvalid(string key, string value, string member)
    {
        using var services = new ServiceCollection().AddTwilioSms(Configuration(new() { [key] = value })).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TwilioOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(member, StringComparison.Ordinal));
        Assert.DoesNotContain(AuthToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTwilioSms_AppliesDefaultsAndReplacesTheOutbox_WhenOnlySecretsAndSenderAreConfigured()
    {
        var collection = new ServiceCollection().AddSingleton<ISmsSender, FakeSender>();
        collection.AddTwilioSms(Configuration(new() { ["Sms:Twilio:BaseUrl"] = null, ["Sms:Twilio:RetryBaseDelayMilliseconds"] = null }));
        using var services = collection.BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<TwilioOptions>>().Value;

        Assert.Equal("https://api.twilio.com", options.BaseUrl);
        Assert.Equal(10, options.AttemptTimeoutSeconds);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(1_000, options.RetryBaseDelayMilliseconds);
        Assert.IsType<TwilioSmsSender>(Assert.Single(services.GetServices<ISmsSender>()));
    }

    private static ServiceProvider BuildServices(
        Uri baseAddress,
        Dictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configure = null,
        ILoggerProvider? logs = null)
    {
        var settings = new Dictionary<string, string?> { ["Sms:Twilio:BaseUrl"] = baseAddress.ToString() };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddTwilioSms(Configuration(settings));
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Valid settings with no backoff delay (so retries are instant), then <paramref name="overrides"/>; null removes a key.</summary>
    private static IConfiguration Configuration(Dictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sms:Twilio:AccountSid"] = AccountSid,
            ["Sms:Twilio:AuthToken"] = AuthToken,
            ["Sms:Twilio:DefaultFromE164"] = DefaultFrom,
            ["Sms:Twilio:BaseUrl"] = "http://127.0.0.1:9/",
            ["Sms:Twilio:RetryBaseDelayMilliseconds"] = "0",
        };
        foreach (var (key, value) in overrides)
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static void AssertHoldsNoSecrets(string text)
    {
        Assert.DoesNotContain("7700900123", text, StringComparison.Ordinal);
        Assert.DoesNotContain(DefaultFrom, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Body, text, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountSid, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AuthToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")), text, StringComparison.Ordinal);
    }

    private sealed class AttemptCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    /// <summary>Sits inside the resilience handler, so it sees every attempt, including ones that never reach a server.</summary>
    private sealed class CountingHandler(AttemptCounter attempts) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            attempts.Add();
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class FakeSender : ISmsSender
    {
        public Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
