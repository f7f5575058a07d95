using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// Sends texts through Twilio's Messages API. A typed HttpClient: retries and timeouts live in the resilience pipeline
/// that <see cref="TwilioRegistration.AddTwilioSms"/> puts in front of it.
/// </summary>
public sealed partial class TwilioSmsSender(
    HttpClient httpClient,
    IOptions<TwilioOptions> options,
    ILogger<TwilioSmsSender> logger) : ISmsSender
{
    /// <summary>Sent with the same value on every attempt of one message, so a repeat can be recognised as one.</summary>
    public const string IdempotencyTokenHeader = "I-Twilio-Idempotency-Token";

    private readonly TwilioOptions _options = options.Value;

    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = new Uri($"2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid)}/Messages.json", UriKind.Relative);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(
            [
                new KeyValuePair<string, string>("To", message.ToE164),
                new KeyValuePair<string, string>("From", message.FromE164 ?? _options.DefaultFromE164),
                new KeyValuePair<string, string>("Body", message.Body),
            ]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.AccountSid}:{_options.AuthToken}")));

        // One token per message, made here and not in the pipeline: the retry strategy resends this same request object.
        request.Headers.TryAddWithoutValidation(IdempotencyTokenHeader, Guid.NewGuid().ToString("D"));

        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            LogOutcomeUnknown(message.Kind, new MaskedPhone(message.ToE164), ex);
            throw new SmsDeliveryException(
                "Twilio did not answer in time; the text may or may not have been sent, so it was not retried.", statusCode: null, providerErrorCode: null, outcomeUnknown: true, ex);
        }
        catch (HttpRequestException ex)
        {
            var neverSent = TwilioRegistration.FailedBeforeSending(ex);
            if (neverSent)
            {
                LogUnreachable(message.Kind, new MaskedPhone(message.ToE164), ex);
            }
            else
            {
                LogOutcomeUnknown(message.Kind, new MaskedPhone(message.ToE164), ex);
            }

            throw new SmsDeliveryException(
                neverSent ? "Could not connect to Twilio; the text was not sent." : "The connection to Twilio failed mid-request; the text may or may not have been sent.",
                statusCode: null,
                providerErrorCode: null,
                outcomeUnknown: !neverSent,
                ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var sid = await ReadStringPropertyAsync(response, "sid", cancellationToken);
                LogAccepted(message.Kind, new MaskedPhone(message.ToE164), sid ?? "(not in response)");
                return;
            }

            // Twilio's error "message" can quote the phone number; only its numeric code is kept.
            var errorCode = await ReadIntPropertyAsync(response, "code", cancellationToken);
            var status = response.StatusCode;
            LogRefused(message.Kind, new MaskedPhone(message.ToE164), (int)status, errorCode);
            var detail = errorCode is { } code ? $", Twilio error {code}" : string.Empty;
            throw new SmsDeliveryException(
                $"Twilio refused the text: HTTP {(int)status} ({status}){detail}.", status, errorCode, outcomeUnknown: false);
        }
    }

    private static async Task<string?> ReadStringPropertyAsync(HttpResponseMessage response, string name, CancellationToken cancellationToken)
    {
        using var json = await TryReadJsonAsync(response, cancellationToken);
        return json is not null && json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
    }

    private static async Task<int?> ReadIntPropertyAsync(HttpResponseMessage response, string name, CancellationToken cancellationToken)
    {
        using var json = await TryReadJsonAsync(response, cancellationToken);
        return json is not null && json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;
    }

    /// <summary>The body as JSON, or null if it is not JSON: the HTTP status decides success, never the body.</summary>
    private static async Task<JsonDocument?> TryReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {Kind} to {MaskedPhone} accepted by Twilio as {MessageSid}")]
    private partial void LogAccepted(SmsKind kind, MaskedPhone maskedPhone, string messageSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio refused SMS {Kind} to {MaskedPhone}: HTTP {StatusCode}, Twilio error {TwilioErrorCode}")]
    private partial void LogRefused(SmsKind kind, MaskedPhone maskedPhone, int statusCode, int? twilioErrorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach Twilio for SMS {Kind} to {MaskedPhone}; it was not sent")]
    private partial void LogUnreachable(SmsKind kind, MaskedPhone maskedPhone, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS {Kind} to {MaskedPhone} may or may not have been sent: Twilio's answer was lost; not retried to avoid a duplicate")]
    private partial void LogOutcomeUnknown(SmsKind kind, MaskedPhone maskedPhone, Exception exception);
}

/// <summary>
/// A text the provider did not take. The message never holds phone numbers, bodies or credentials.
/// <see cref="OutcomeUnknown"/> is true when the provider may have sent it anyway (a timeout or a connection lost mid-request).
/// </summary>
public sealed class SmsDeliveryException : Exception
{
    public SmsDeliveryException()
    {
    }

    public SmsDeliveryException(string message)
        : base(message)
    {
    }

    public SmsDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SmsDeliveryException(string message, HttpStatusCode? statusCode, int? providerErrorCode, bool outcomeUnknown, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ProviderErrorCode = providerErrorCode;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>The provider's final HTTP status; null when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The provider's own error code (Twilio's <c>code</c>, e.g. 21211), when it gave one.</summary>
    public int? ProviderErrorCode { get; }

    /// <summary>True when the text may have been sent despite the failure; do not blindly resend it.</summary>
    public bool OutcomeUnknown { get; }
}
