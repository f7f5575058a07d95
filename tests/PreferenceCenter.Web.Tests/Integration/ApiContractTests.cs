using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// The /api/v1 contract held against the running app (ADR 33): every operation, every status its document lists
/// (500 aside: a fault, not a request), each answer's content type, headers and body checked against the document.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Api_AnswersAsItsDocumentSays_ForEveryOperationAndStatus()
    {
        using var anonymous = _app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(anonymous);
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900580");
        using var reader = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);
        using var writer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsWrite);
        using var importer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);
        using var noKey = ApiClients.For(_app, null);

        // Answers to each operation's own requests, good and bad.
        await CheckAsync(contract, "GetCustomerConsents", 200, reader, Get($"/api/v1/customers/{customer}/consents"));
        await CheckAsync(contract, "GetCustomerConsents", 404, reader, Get($"/api/v1/customers/{Guid.NewGuid()}/consents"));
        await CheckAsync(contract, "GetConsentsByPhone", 200, reader, Get("/api/v1/consents?phone=07700%20900580"));
        await CheckAsync(contract, "GetConsentsByPhone", 400, reader, Get("/api/v1/consents?phone=12"));
        await CheckAsync(contract, "CheckConsent", 200, reader, Get("/api/v1/consents/check?phone=07700900580&purpose=promotions"));
        await CheckAsync(contract, "CheckConsent", 400, reader, Get("/api/v1/consents/check?phone=07700900580&purpose=Everything"));
        await CheckAsync(contract, "RevokeConsent", 200, writer, Revoke(customer, "Promotions", "contract-1"));
        await CheckAsync(contract, "RevokeConsent", 200, writer, Revoke(customer, "Promotions", "contract-1"));
        await CheckAsync(contract, "RevokeConsent", 400, writer, Revoke(customer, "Promotions", null));
        await CheckAsync(contract, "RevokeConsent", 404, writer, Revoke(Guid.NewGuid(), "Promotions", "contract-2"));
        await CheckAsync(contract, "RevokeConsent", 422, writer, Revoke(customer, "AccountAlerts", "contract-1"));
        await CheckAsync(contract, "ImportConsents", 200, importer, Import(Rows(("07700900581", "2025-03-01T10:15:00Z")), idempotencyKey: "contract-import"));
        await CheckAsync(contract, "ImportConsents", 400, importer, Import("{\"not\":\"an array\"}"));
        await CheckAsync(contract, "ImportConsents", 415, importer, Import("phone,purpose", "text/csv"));
        await CheckAsync(contract, "ImportConsents", 422, importer, Import(Rows(("07700900582", "2999-01-01T00:00:00Z"))));
        await CheckAsync(contract, "ImportConsents", 422, importer, Import("[]"));
        await CheckAsync(contract, "CreateOptInRequest", 201, writer, OptIn("07700900584", "Promotions", "contract-optin-1"));
        await CheckAsync(contract, "CreateOptInRequest", 201, writer, OptIn("07700900584", "Promotions", "contract-optin-1"));
        await CheckAsync(contract, "CreateOptInRequest", 409, writer, OptIn("07700900584", "Promotions", "contract-optin-2"));
        await CheckAsync(contract, "CreateOptInRequest", 409, writer, OptIn("07700900584", "Promotions", "contract-optin-2"));
        await CheckAsync(contract, "CreateOptInRequest", 400, writer, OptIn("12", "Promotions", "contract-optin-3"));
        await CheckAsync(contract, "CreateOptInRequest", 400, writer, OptIn("07700900584", "Everything", "contract-optin-4"));
        await CheckAsync(contract, "CreateOptInRequest", 400, writer, OptIn("07700900584", "Promotions", null));
        await CheckAsync(contract, "CreateOptInRequest", 415, writer, OptIn("07700900584", "Promotions", "contract-optin-5", "text/plain"));
        await CheckAsync(contract, "CreateOptInRequest", 422, writer, OptIn("07700900585", "Promotions", "contract-optin-1"));
        await CheckAsync(contract, "GetOptInRequests", 200, reader, Get("/api/v1/opt-in-requests?phone=07700900584"));
        await CheckAsync(contract, "GetOptInRequests", 400, reader, Get("/api/v1/opt-in-requests?phone=x"));
        await CheckAsync(contract, "GetChanges", 200, reader, Get("/api/v1/changes?after=0&limit=2"));
        await CheckAsync(contract, "GetChanges", 400, reader, Get("/api/v1/changes?limit=abc"));
        await CheckAsync(contract, "GetChanges", 400, reader, Get("/api/v1/changes?after=-1"));

        // What every operation may answer: no key, a key without the scope, too many requests, and the import's size limit.
        await using var strict = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "1", ["Api:ImportMaxBytes"] = "64" });
        using var strictClient = strict.CreateClient();
        foreach (var (operationId, scope, request) in EveryOperation(customer))
        {
            await CheckAsync(contract, operationId, 401, noKey, request());
            using var wrongScope = await ApiClients.WithNewKeyAsync(_app, scope == ApiScopes.Import ? ApiScopes.ConsentsRead : ApiScopes.Import);
            await CheckAsync(contract, operationId, 403, wrongScope, request());

            using var limited = ApiClients.For(strict, (await strict.Services.GetRequiredService<IntegrationKeys>().CreateAsync($"Limited {operationId}", [.. ApiScopes.All])).Key);
            using var first = await limited.SendAsync(request());
            await CheckAsync(contract, operationId, 429, limited, request());
        }

        using var small = ApiClients.For(strict, (await strict.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Small batches", [ApiScopes.Import])).Key);
        await CheckAsync(contract, "ImportConsents", 413, small, Import(Rows(("07700900583", "2025-03-01T10:15:00Z"))));

        var missed = contract.Documented.Where(d => d.Status != "500").Except(contract.Seen).ToList();
        Assert.True(missed.Count == 0, "Documented but never answered: " + string.Join(", ", missed));
        Assert.Equal(8, contract.OperationIds.Count);
    }

    [Fact]
    public async Task OpenApiContract_FailsAnAnswer_WhenItsBodyBreaksTheSchemaOrItsStatusIsUndocumented()
    {
        using var anonymous = _app.CreateClient();
        var contract = await OpenApiContract.LoadAsync(anonymous);
        using var wrongType = Answer(200, "application/json", "{\"phone\":\"+447700900123\",\"purpose\":\"Promotions\",\"allowed\":\"yes\"}");
        using var missing = Answer(200, "application/json", "{\"phone\":\"+447700900123\",\"allowed\":true}");
        using var html = Answer(400, "text/html", "<p>Bad request</p>");
        using var undocumented = Answer(409, "application/problem+json", "{\"title\":\"Conflict\",\"status\":409}");

        foreach (var answer in new[] { wrongType, missing, html, undocumented })
        {
            await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => contract.CheckAsync("CheckConsent", answer, (int)answer.StatusCode));
        }
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task ApiErrors_AreProblemDetailsNeverHtml_WhenInputIsMalformedInEitherEnvironment(string environment)
    {
        await using var app = new PreferenceCenterAppFactory(environment);
        var key = (await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Any CRM", [.. ApiScopes.All])).Key;
        using var client = ApiClients.For(app, key);
        var requests = new Func<HttpRequestMessage>[]
        {
            () => Get("/api/v1/changes?limit=abc"),
            () => Get("/api/v1/changes?limit=99999999999999999999"),
            () => Get("/api/v1/changes?after=abc"),
            () => Import("phone,purpose", "text/csv"),
            () => Import("phone=1", "application/x-www-form-urlencoded"),
            () => new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/import", UriKind.Relative)),
            () => Import("[{\"phone\": 1}"),
            () => Get("/api/v1/customers/not-a-guid/consents"),
            () => Get("/api/v1/nothing-here"),
            () => new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/v1/changes", UriKind.Relative)),
            () => OptInWith("{\"phone\": [1, 2", "application/json"),
            () => OptInWith("{\"source\":\"" + new string('x', 20_000) + "\"}", "application/json"),
            () => OptInWith("phone=07700900590", "application/x-www-form-urlencoded"),
        };

        // A JSON body is read as UTF-8 whatever charset the header claims (as the import does): an odd charset is no 500.
        using (var oddCharset = await client.SendAsync(OptInWith("{\"phone\":\"+447700900590\",\"purpose\":\"Promotions\",\"source\":\"store:1\"}", "application/json; charset=bogus")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, oddCharset.StatusCode);
        }

        foreach (var request in requests)
        {
            using var sent = request();
            var what = $"{sent.Method} {sent.RequestUri} ({sent.Content?.Headers.ContentType})";
            using var response = await client.SendAsync(sent);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode} {body}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType} {body}");
            using var problem = JsonDocument.Parse(body);
            Assert.Equal((int)response.StatusCode, problem.RootElement.GetProperty("status").GetInt32());
        }
    }

    private static HttpResponseMessage Answer(int status, string mediaType, string body) =>
        new((System.Net.HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static async Task CheckAsync(OpenApiContract contract, string operationId, int status, HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            await contract.CheckAsync(operationId, response, status);
        }
    }

    /// <summary>One well-formed request per operation, with the scope it needs.</summary>
    private static IEnumerable<(string OperationId, string Scope, Func<HttpRequestMessage> Request)> EveryOperation(Guid customer) =>
    [
        ("GetCustomerConsents", ApiScopes.ConsentsRead, () => Get($"/api/v1/customers/{customer}/consents")),
        ("GetConsentsByPhone", ApiScopes.ConsentsRead, () => Get("/api/v1/consents?phone=07700900580")),
        ("CheckConsent", ApiScopes.ConsentsRead, () => Get("/api/v1/consents/check?phone=07700900580&purpose=Promotions")),
        ("RevokeConsent", ApiScopes.ConsentsWrite, () => Revoke(customer, "Promotions", "scoped")),
        ("ImportConsents", ApiScopes.Import, () => Import("[]")),
        ("GetChanges", ApiScopes.ConsentsRead, () => Get("/api/v1/changes")),
        ("CreateOptInRequest", ApiScopes.ConsentsWrite, () => OptIn("07700900586", "Promotions", "scoped")),
        ("GetOptInRequests", ApiScopes.ConsentsRead, () => Get("/api/v1/opt-in-requests?phone=07700900586")),
    ];

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(path, UriKind.Relative));

    private static HttpRequestMessage Revoke(Guid customer, string purpose, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/customers/{customer}/consents/{purpose}/revoke", UriKind.Relative));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static HttpRequestMessage OptInWith(string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/opt-in-requests", UriKind.Relative)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    private static HttpRequestMessage OptIn(string phone, string purpose, string? idempotencyKey, string mediaType = "application/json")
    {
        var body = JsonSerializer.Serialize(new { phone, purpose, source = "store:042", language = "en" });
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/opt-in-requests", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static HttpRequestMessage Import(string body, string mediaType = "application/json", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/import", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    /// <summary>Rows with only the required fields (and the text by id), as the document says a row may be.</summary>
    private static string Rows(params (string Phone, string OccurredAt)[] rows) => JsonSerializer.Serialize(rows.Select(r => new
    {
        phone = r.Phone,
        purpose = "Promotions",
        action = "Granted",
        occurredAt = r.OccurredAt,
        consentTextId = 2,
        source = "contract test",
    }));
}
