using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// Walks every endpoint in the app's route table with generated hostile requests (control characters, NUL, huge
/// strings, confusables and bidi controls, wrong types, missing fields, broken JSON, wrong content types) in route
/// values, query strings, headers, cookies, form and JSON bodies; as an anonymous visitor, an integration with every API
/// scope, and a signed-in customer. No answer may be a 5xx and nothing may be logged as an error. The seed is printed:
/// <c>PREFERENCECENTER_FUZZ_SEED=&lt;seed&gt;</c> replays a run (<c>PREFERENCECENTER_FUZZ_REQUESTS</c> sets how many).
/// </summary>
public sealed partial class EndpointFuzzTests(ITestOutputHelper output)
{
    private const int DefaultRequests = 10_000;

    private static readonly string[] Atoms =
    [
        string.Empty, " ", "\0", "STOP\0", "\u0001", "\t", "\r\n", "\u007F", "\u3000", "\u00A0", "\u2028",
        "\u202E", "\u200B", "\u200F", "\uFEFF", "\u2066", "ＳＴＯＰ", "ЅТОР", "Ѕ", "İ", "ß", "😀", "e\u0301", "Ⅰ",
        "../../etc/passwd", "..\\..\\", "//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/",
        "javascript:alert(1)", "<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}", "${jndi:ldap://x}", "%00", "%",
        "-1", "0", "1", "1000", "1001", "99999999999999", "99999999999999999999999", "1e309", "NaN", "-0", "0x10", "1.5",
        "2147483648", "9223372036854775808", "true", "null", "[]", "{}", "{", "\"",
        "00000000-0000-0000-0000-000000000000", "not-a-guid",
        "+447700900123", "07700 900123", "+", "+0", "++44", "+4477009001234567890123", "tel:+447700900123",
        "Promotions", "AccountAlerts", "promotions", "99", "en", "es", "fr", "es-MX", "zz-ZZ-x-aaaaaaaa", "c=es|uic=es",
        "2026-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "0001-01-01", "not a date", "Granted", "Revoked",
    ];

    private static readonly string[] Names =
    [
        "culture", "redirectUri", "ReturnUrl", "returnUrl", "phone", "purpose", "after", "limit", "id", "code", "sig",
        "site", "sub", "exp", "token", "email", "userId", "simulated", "page", "q", "format", "From", "To", "Body",
        "MessageSid", "AccountSid", "Input.Email", "Input.Password", "Input.Code", "_handler", "__RequestVerificationToken",
        "action", "occurredAt", "consentTextId", "consentTextVersion", "language", "source", "ipAddress", "userAgent",
        "documentName", "\0", "a\u202Eb", "x[0]", "x.y",
    ];

    private static readonly string[] RawEncodings = ["%", "%zz", "%00", "%C0%AF", "%FF%FE", "%E3%80%80", "%ED%A0%80", "%2e%2e%2f", "%0d%0a", "+%2B+"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-16", "application/json; charset=bogus", "text/plain", "application/xml",
        "text/xml", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=xyz",
        "application/octet-stream", "application/problem+json", "*/*", "text/html",
    ];

    [Fact]
    public async Task EveryEndpoint_AnswersWithoutA5xxOrAnErrorLog_WhenSentGeneratedHostileRequests()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PREFERENCECENTER_FUZZ_SEED"), CultureInfo.InvariantCulture, out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var total = int.TryParse(Environment.GetEnvironmentVariable("PREFERENCECENTER_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRequests;
        output.WriteLine($"Fuzz seed {seed} (replay with PREFERENCECENTER_FUZZ_SEED={seed}), {total} requests");

        var logs = new CapturingLoggerProvider(LogLevel.Error);
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?>
        {
            ["Api:RequestsPerMinute"] = "100000000",
            ["Api:ImportMaxBytes"] = "65536",
        })
        { Logs = logs };
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var created = await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Fuzz", [ApiScopes.ConsentsRead, ApiScopes.ConsentsWrite, ApiScopes.Import]);
        using var integration = ApiClients.For(app, created.Key, new() { AllowAutoRedirect = false, HandleCookies = false });
        using var customer = await SignedInClients.ForAsync(app, role: null);
        var clients = new[] { ("anonymous", anonymous), ("api-key", integration), ("customer", customer) };

        var (targets, skipped) = Targets(app.Services.GetRequiredService<EndpointDataSource>());
        output.WriteLine($"{targets.Count} endpoints fuzzed; skipped: {string.Join("; ", skipped.Select(s => $"{s.Key} ({s.Value})"))}");
        Assert.Contains(targets, t => t.Pattern.RawText == "/api/v1/import");
        Assert.Contains(targets, t => t.Pattern.RawText == "/sms/inbound");

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, cancellationToken) =>
        {
            // Each request from its own generator: the same seed gives the same requests whatever the scheduling.
            var random = new Random(unchecked((seed * 1_000_003) + i));
            var target = targets[random.Next(targets.Count)];
            var (who, client) = clients[random.Next(clients.Length)];
            using var request = Build(random, target, who == "anonymous");
            var described = $"#{i} as {who}: {request.Method} {request.RequestUri} ({request.Content?.Headers.ContentType?.ToString() ?? "no body"}; headers {string.Join(", ", request.Headers.Select(h => h.Key))})";
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                Interlocked.Increment(ref sent);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if ((int)response.StatusCode >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    failures.Enqueue($"{described} → {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
                }
            }
            catch (HttpRequestException ex)
            {
                failures.Enqueue($"{described} → no answer: {ex.Message}");
            }
        });

        output.WriteLine($"Sent {sent} requests; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
        foreach (var endpoint in failures.Select(f => FailedRoute().Match(f).Value).GroupBy(r => r).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"5xx: {endpoint.Key} ×{endpoint.Count()}");
        }

        foreach (var failure in failures.Take(30))
        {
            output.WriteLine(failure);
        }

        foreach (var error in logs.Entries.Take(30))
        {
            output.WriteLine("logged: " + error);
        }

        Assert.True(sent >= total, $"only {sent} of {total} requests were answered");
        Assert.True(failures.IsEmpty, $"{failures.Count} requests answered 5xx or not at all (seed {seed}); first: {failures.FirstOrDefault()}");
        Assert.True(logs.Entries.Count == 0, $"{logs.Entries.Count} error log lines (seed {seed}); first: {logs.Entries.FirstOrDefault()}");
    }

    internal sealed record Target(RoutePattern Pattern, IReadOnlyList<string> Methods);

    private static (List<Target> Targets, Dictionary<string, int> Skipped) Targets(EndpointDataSource source)
    {
        var targets = new List<Target>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        void Skip(string why) => skipped[why] = skipped.GetValueOrDefault(why) + 1;
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var raw = endpoint.RoutePattern.RawText ?? string.Empty;
            if (raw.TrimStart('/').StartsWith("_blazor", StringComparison.OrdinalIgnoreCase))
            {
                Skip("_blazor: the SignalR hub and circuit transport, exercised by the bUnit, E2E and load tests");
            }
            else if (endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            {
                Skip("static files from MapStaticAssets: fixed bytes, no input");
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
                targets.Add(new Target(endpoint.RoutePattern, methods is { Count: > 0 } ? methods.ToList() : ["GET", "POST"]));
            }
        }

        // Paths no endpoint claims, under each prefix that answers in its own way.
        foreach (var prefix in new[] { "/api/v1/{x}", "/sms/{x}", "/{x}", "/culture/{x}", "/preferences/{x}" })
        {
            targets.Add(new Target(RoutePatternFactory.Parse(prefix), ["GET", "POST", "PUT", "DELETE", "PATCH"]));
        }

        return (targets, skipped);
    }

    private static HttpRequestMessage Build(Random random, Target target, bool anonymous)
    {
        var method = random.Next(10) == 0 ? Pick(random, ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]) : Pick(random, target.Methods);
        var path = new StringBuilder();
        foreach (var segment in target.Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        path.Append(RouteValue(random, parameter));
                        break;
                }
            }
        }

        var query = new StringBuilder();
        for (var q = random.Next(4); q > 0; q--)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Encoded(random, Pick(random, Names))).Append('=').Append(Encoded(random, Value(random)));
        }

        var request = new HttpRequestMessage(new HttpMethod(method), new Uri((path.Length == 0 ? "/" : path.ToString()) + query, UriKind.Relative));
        if (method is not ("GET" or "HEAD" or "OPTIONS") || random.Next(8) == 0)
        {
            request.Content = Body(random);
        }

        if (random.Next(3) == 0)
        {
            // Not X-Forwarded-*: only a trusted proxy (loopback by default) is believed, and the test host's requests
            // count as one; what a proxy may send is ProxyHeaders' concern.
            request.Headers.TryAddWithoutValidation(Pick(random, ["Accept-Language", "Idempotency-Key", "X-Twilio-Signature", "Accept", "Origin", "Referer"]), HeaderValue(random));
        }

        if (anonymous && random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation(
                random.Next(2) == 0 ? "Cookie" : "X-Api-Key",
                random.Next(2) == 0 ? ".AspNetCore.Culture=" + Encoded(random, Value(random)) : HeaderValue(random));
        }

        return request;
    }

    private static string RouteValue(Random random, RoutePatternParameterPart parameter)
    {
        if (parameter.IsOptional && random.Next(4) == 0)
        {
            return string.Empty;
        }

        var constrained = parameter.ParameterPolicies.Any(p => p.Content is "guid");
        return random.Next(3) switch
        {
            0 when constrained => RandomGuid(random).ToString(),
            0 => Uri.EscapeDataString(Pick(random, ["Promotions", "AccountAlerts", "v1", "1", "demo"])),
            // A NUL in the path never reaches an app: Kestrel and the test host refuse the request line.
            _ => Encoded(random, Value(random)).Replace("%00", string.Empty, StringComparison.Ordinal) is { Length: > 0 } value ? value : "x",
        };
    }

    private static HttpContent Body(Random random)
    {
        var contentType = random.Next(3) == 0 ? Pick(random, ContentTypes) : null;
        HttpContent content;
        switch (random.Next(6))
        {
            case 0:
            case 1:
                var form = new StringBuilder();
                for (var f = random.Next(6); f > 0; f--)
                {
                    form.Append(form.Length == 0 ? string.Empty : "&").Append(Encoded(random, Pick(random, Names))).Append('=').Append(Encoded(random, Value(random)));
                }

                if (random.Next(2000) == 0)
                {
                    // Over the form reader's 4 MB value limit.
                    form.Append("&Body=").Append('a', (4 * 1024 * 1024) + 1);
                }

                content = new ByteArrayContent(Encoding.UTF8.GetBytes(form.ToString()));
                contentType ??= "application/x-www-form-urlencoded";
                break;
            case 2:
            case 3:
                var json = Json(random, depth: 0);
                if (random.Next(4) == 0)
                {
                    json = json[..random.Next(json.Length + 1)];
                }

                content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
                contentType ??= "application/json";
                break;
            case 4:
                var bytes = new byte[random.Next(0, 512)];
                random.NextBytes(bytes);
                content = new ByteArrayContent(bytes);
                break;
            default:
                content = new ByteArrayContent(Encoding.UTF8.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"" + Pick(random, Names) + "\"\r\n\r\n" + Value(random) + "\r\n--xyz--\r\n"));
                contentType ??= "multipart/form-data; boundary=xyz";
                break;
        }

        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    private static string Json(Random random, int depth)
    {
        if (depth > 3 && random.Next(3) > 0)
        {
            return JsonScalar(random);
        }

        switch (random.Next(depth == 0 ? 4 : 6))
        {
            case 0:
                // Deeper than System.Text.Json's default limit of 64.
                return new string('[', 70) + new string(']', 70);
            case 1:
            case 2:
                var fields = Enumerable.Range(0, random.Next(8)).Select(_ => JsonSerializer.Serialize(Pick(random, Names)) + ":" + Json(random, depth + 1));
                var row = "{" + string.Join(",", fields) + "}";
                return depth == 0 && random.Next(2) == 0 ? "[" + row + "]" : row;
            case 3:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => Json(random, depth + 1))) + "]";
            default:
                return JsonScalar(random);
        }
    }

    private static string JsonScalar(Random random) => random.Next(5) switch
    {
        0 => Pick(random, ["null", "true", "false", "0", "-1", "1e309", "99999999999999999999999999", "1.5", "NaN", "\"\\u0000\"", "\"\\ud800\""]),
        _ => JsonSerializer.Serialize(Value(random)),
    };

    private static string Value(Random random)
    {
        var value = random.Next(12) switch
        {
            0 => new string(Pick(random, ['a', '\0', '\u3000', 'Ω', 'é', '\u202E']), Pick(random, [300, 5_000, 70_000])),
            1 => Pick(random, Atoms) + Pick(random, Atoms),
            2 => RandomGuid(random).ToString(),
            3 => string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => (char)random.Next(0x20, 0x2FFF))),
            _ => Pick(random, Atoms),
        };

        return value;
    }

    private static string Encoded(Random random, string value) =>
        random.Next(8) == 0 ? Pick(random, RawEncodings) + Uri.EscapeDataString(value) : Uri.EscapeDataString(value);

    // Header values travel as Latin-1 without line breaks or NUL (a client cannot send those).
    private static string HeaderValue(Random random) =>
        ControlOrWide().Replace(Value(random), string.Empty) is { Length: > 0 } v ? v[..Math.Min(v.Length, 8_000)] : "x";

    private static Guid RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    [GeneratedRegex(@"(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /[^? ]*")]
    private static partial Regex FailedRoute();

    [GeneratedRegex(@"[\r\n\0]|[^\u0000-\u00FF]")]
    private static partial Regex ControlOrWide();
}
