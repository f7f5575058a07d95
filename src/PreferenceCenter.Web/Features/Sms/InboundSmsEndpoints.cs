using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Web.Features.Sms;

internal static partial class InboundSmsEndpoints
{
    public const string InboundPath = "/sms/inbound";
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapInboundSms(this IEndpointRouteBuilder app, IWebHostEnvironment environment)
    {
        // Twilio posts here; the HMAC signature, not a cookie or antiforgery token, proves who sent it.
        app.MapPost(InboundPath, ReceiveAsync).DisableAntiforgery().AllowAnonymous();
        if (environment.IsDevelopment())
        {
            app.MapPost("/dev/sms/simulate", SimulateAsync).AllowAnonymous();
        }

        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, InboundSmsService inbound, IOptions<SmsOptions> options, IConfiguration configuration, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Expected a form post");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // Over the form reader's limits (a value over 4 MB, too many fields) or not a readable form: Twilio never sends one.
            return TypedResults.Problem(
                statusCode: ex is InvalidDataException invalid && Features.Api.ApiProblemResponses.IsLimit(invalid) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                title: "Unreadable form",
                detail: ex.Message);
        }

        var token = configuration["Sms:Twilio:AuthToken"];
        var url = PublicUrl(http.Request, options.Value.PublicBaseUrl);
        if (string.IsNullOrEmpty(token) || !TwilioSignature.IsValid(token, url, Pairs(form), http.Request.Headers["X-Twilio-Signature"]))
        {
            LogBadSignature(loggers.CreateLogger("PreferenceCenter.Sms"));
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid or missing X-Twilio-Signature");
        }

        string? Field(string name) => form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        if (Field("MessageSid") is not { } sid || Field("From") is not { } from || Field("To") is not { } to)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "MessageSid, From and To are required");
        }

        if (!IsIdentifier(sid) || !IsIdentifier(from) || !IsIdentifier(to))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed MessageSid, From or To", detail: $"Each is at most {MaxIdentifierLength} printable characters.");
        }

        await inbound.HandleAsync(new InboundSmsRequest(sid, from, to, WithoutControlCharacters(Field("Body") ?? string.Empty)), cancellationToken);
        return TypedResults.Content(EmptyTwiml, "text/xml");
    }

    /// <summary>Development only: signs a made-up inbound text exactly as Twilio would and posts it to this app.</summary>
    private static async Task<IResult> SimulateAsync(HttpContext http, IAntiforgery antiforgery, IHttpClientFactory clients, IOptions<SmsOptions> options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        // A missing or stale token is the visitor's problem (400), not the server's.
        IFormCollection form;
        try
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid or missing antiforgery token", detail: "Reload /dev/sms and send the form again.");
            }

            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or AntiforgeryValidationException)
        {
            // The antiforgery check reads the form first, and reports an unreadable one this way.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unreadable form", detail: ex.Message);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MessageSid"] = "SMdev" + Guid.NewGuid().ToString("N"),
            ["From"] = form["From"].ToString().Trim(),
            ["To"] = form["To"].ToString().Trim(),
            ["Body"] = form["Body"].ToString(),
        };
        var ownBase = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var signedUrl = (options.Value.PublicBaseUrl?.TrimEnd('/') ?? ownBase) + InboundPath;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ownBase + InboundPath)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", TwilioSignature.Compute(configuration["Sms:Twilio:AuthToken"] ?? string.Empty, signedUrl, fields));
        try
        {
            using var response = await clients.CreateClient().SendAsync(request, cancellationToken);
            return TypedResults.Redirect($"/dev/sms?simulated={(int)response.StatusCode}");
        }
        catch (HttpRequestException)
        {
            // This app is not reachable at its own address (a test host without a socket): say so on the page.
            return TypedResults.Redirect("/dev/sms?simulated=0");
        }
    }

    private const int MaxIdentifierLength = 64;

    // Twilio's SIDs and numbers are short and printable: anything else is not from Twilio.
    private static bool IsIdentifier(string value) => value.Length <= MaxIdentifierLength && !value.Any(c => char.IsControl(c) || char.IsSurrogate(c));

    /// <summary>
    /// A text's control characters (a NUL from a broken handset or a forger) carry no words: they are dropped, so
    /// "STOP\0" is STOP and nothing unprintable reaches the database (PostgreSQL refuses NUL in text) or the log.
    /// Line breaks stay.
    /// </summary>
    internal static string WithoutControlCharacters(string body) =>
        body.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            ? string.Concat(body.Where(c => !char.IsControl(c) || c is '\n' or '\r' or '\t'))
            : body;

    /// <summary>The URL Twilio signed: the configured public base (behind a proxy) or this request's own, with path and query.</summary>
    internal static string PublicUrl(HttpRequest request, string? publicBaseUrl) =>
        (publicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}") + request.Path + request.QueryString;

    private static IEnumerable<KeyValuePair<string, string>> Pairs(IFormCollection form) =>
        form.SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? string.Empty)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an inbound SMS webhook with an invalid or missing signature")]
    private static partial void LogBadSignature(ILogger logger);
}
