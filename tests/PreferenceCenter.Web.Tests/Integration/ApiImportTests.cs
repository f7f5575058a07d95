using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Contract tests of POST /api/v1/import through the real pipeline on a real SQLite file.</summary>
public sealed class ApiImportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Import_RecordsEveryRowWithAnIntactChain_WhenOneRequestCarries10000Rows()
    {
        // 1,000 numbers × 2 purposes × 5 alternating decisions, so the same state changes again and again in one batch.
        var rows = new List<object>();
        for (var round = 0; round < 5; round++)
        {
            for (var n = 0; n < 1000; n++)
            {
                foreach (var (purpose, text) in new[] { ("AccountAlerts", 1), ("Promotions", 2) })
                {
                    rows.Add(Row($"07700 900{n:000}", purpose, round % 2 == 0 ? "Granted" : "Revoked", Start.AddDays(round).AddSeconds(n), text));
                }
            }
        }

        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);
        client.Timeout = TimeSpan.FromMinutes(10); // a slow shared machine is not what this test is about
        using var response = await PostAsync(client, rows);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((10_000, 10_000, 1_000), (report.GetProperty("rows").GetInt32(), report.GetProperty("recorded").GetInt32(), report.GetProperty("customersCreated").GetInt32()));
        Assert.Equal(Enumerable.Range(1, 10_000), report.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        await using var db = await OpenAsync();
        Assert.Equal(10_000, await db.ConsentEvents.CountAsync(e => e.Method == ConsentMethod.Import));
        var ledger = await LedgerVerifier.VerifyAsync(db, _app.Services.GetRequiredService<LedgerCheckpointer>().Keys);
        Assert.True(ledger.Intact, ledger.Summary);
        Assert.Equal(10_000, ledger.Events);
        Assert.Empty((await ProjectionRebuilder.RebuildAsync(db)).Fixed);
        Assert.Equal(1_000, await db.ConsentStates.CountAsync(s => s.Purpose == Purpose.Promotions && s.Granted));
    }

    [Fact]
    public async Task Import_RejectsTheWholeBatchWithTheRowReportedAndSavesNothing_WhenOneRowIsBad()
    {
        await CustomersWithConsent.CreateAsync(_app, "+447700900999");
        var before = await CountsAsync();
        var rows = Enumerable.Range(0, 50).Select(n => Row($"+44 7700 900{n:000}", "Promotions", "Granted", Start.AddMinutes(n), 2)).ToList();
        rows[36] = Row("+44 7700 900036", "Promotions", "Granted", DateTimeOffset.UtcNow.AddDays(2), 1);

        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);
        using var response = await PostAsync(client, rows);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rejected = Assert.Single(problem.GetProperty("rejected").EnumerateArray());
        Assert.Equal(37, rejected.GetProperty("row").GetInt32());
        Assert.Contains("occurredAt: in the future", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("consentTextId: text 1 is the AccountAlerts wording", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Import_RejectsTheBatch_WhenARowIsOlderThanTheDecisionOnRecordForThatNumber()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900500");
        var before = await CountsAsync();
        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);

        using var stale = await PostAsync(client, [Row("07700900500", "Promotions", "Revoked", Start, 2), Row("07700900501", "Promotions", "Granted", Start, 2)]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stale.StatusCode);
        var rejected = Assert.Single((await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejected.GetProperty("row").GetInt32());
        Assert.Equal(before, await CountsAsync());

        // A later decision for a verified number is the same customer's, not a new one.
        using var later = await PostAsync(client, [Row("07700900500", "Promotions", "Revoked", DateTimeOffset.UtcNow, 2)]);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        var result = (await later.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0];
        Assert.Equal((customer, "Recorded"), (result.GetProperty("customerId").GetGuid(), result.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Import_Answers401WithoutAKeyAnd403WithoutTheImportScope()
    {
        var row = new[] { Row("07700900123", "Promotions", "Granted", Start, 2) };
        using var anonymous = ApiClients.For(_app, null);
        using var writer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead, ApiScopes.ConsentsWrite);

        using var noKey = await PostAsync(anonymous, row);
        using var noScope = await PostAsync(writer, row);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (noKey.StatusCode, noScope.StatusCode));
        Assert.Equal("application/problem+json", noScope.Content.Headers.ContentType?.MediaType);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_NormalisesANationalNumberAndShowsTheHistoryAsImport_InConsentsAndTheChangeFeed()
    {
        var key = await ApiClients.NewKeyAsync(_app, ApiScopes.Import, ApiScopes.ConsentsRead);
        var integration = (await _app.Services.GetRequiredService<IntegrationKeys>().AuthenticateAsync(key))!;
        using var client = ApiClients.For(_app, key);
        var granted = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));

        using var response = await PostAsync(client, [
            Row("07700 900123", "Promotions", "Granted", granted, 2, ip: "203.0.113.9", userAgent: "CRM/1.0"),
            new { phone = "(07700) 900-124", purpose = "accountalerts", action = "granted", occurredAt = "2024-05-06T07:08:09Z", consentTextVersion = 1, language = "en", source = "store checkout" },
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var byPhone = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents?phone=%2B447700900123", UriKind.Relative));
        var promotions = byPhone.EnumerateArray().Single().GetProperty("consents").EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "Promotions");
        Assert.True(promotions.GetProperty("granted").GetBoolean());
        var deciding = promotions.GetProperty("decidingEvent");
        Assert.Equal(("+447700900123", "import", integration.Actor), (deciding.GetProperty("phone").GetString(), deciding.GetProperty("method").GetString(), deciding.GetProperty("actor").GetString()));
        Assert.Equal(granted, deciding.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(deciding.GetProperty("recordedAt").GetDateTimeOffset() > granted);
        Assert.StartsWith("import batch ", deciding.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var feed = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/changes?after=0", UriKind.Relative));
        var events = feed.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["+447700900123", "+447700900124"], events.Select(e => e.GetProperty("phone").GetString()));
        Assert.All(events, e => Assert.Equal("import", e.GetProperty("method").GetString()));
        await using var db = await OpenAsync();
        var stored = await db.ConsentEvents.SingleAsync(e => e.PhoneE164 == "+447700900123");
        Assert.Equal(("203.0.113.9", "CRM/1.0"), (stored.IpAddress, stored.UserAgent));
        Assert.True(await db.CustomerPhones.AllAsync(p => p.IsImported));
    }

    [Fact]
    public async Task Import_RecordsTheGrantButTheNumberStaysSuppressed_WhenItTextedStop()
    {
        await using (var db = await OpenAsync())
        {
            var index = _app.Services.GetRequiredService<PreferenceCenter.Infrastructure.Security.PhoneIndex>();
            db.SmsSuppressions.Add(PreferenceCenter.Domain.Messaging.SmsSuppression.Create("+447700900321", index.KeyOf("+447700900321"), Purpose.Promotions, "SM-stop", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import, ApiScopes.ConsentsRead);
        using var response = await PostAsync(client, [Row("07700900321", "Promotions", "Granted", Start, 2), Row("07700900321", "AccountAlerts", "Granted", Start, 1)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([true, false], results.Select(r => r.GetProperty("suppressed").GetBoolean()));
        Assert.All(results, r => Assert.Equal("Recorded", r.GetProperty("outcome").GetString()));
        Assert.False(await _app.Services.GetRequiredService<ISmsGateway>().CanSendAsync("+447700900321", Purpose.Promotions));
        Assert.True(await _app.Services.GetRequiredService<ISmsGateway>().CanSendAsync("+447700900321", Purpose.AccountAlerts));
    }

    [Fact]
    public async Task Import_ReplaysTheFirstAnswerAndLogsNothingNew_WhenRetriedWithTheSameIdempotencyKey()
    {
        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);
        object[] rows = [Row("07700900700", "Promotions", "Granted", Start, 2)];

        using var first = await PostAsync(client, rows, "batch-1");
        using var again = await PostAsync(client, rows, "batch-1");
        using var otherBody = await PostAsync(client, [Row("07700900701", "Promotions", "Granted", Start, 2)], "batch-1");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity), (first.StatusCode, again.StatusCode, otherBody.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal((1, 1), await CountsAsync());
    }

    [Fact]
    public async Task Import_Answers400AndSavesNothing_WhenTheBodyIsNotAnArrayOfRows()
    {
        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.Import);

        using var misspelt = await PostRawAsync(client, """[{"phone":"07700900123","purpose":"Promotions","action":"Granted","occuredAt":"2025-03-01T09:00:00Z","consentTextId":2,"source":"crm"}]""");
        using var notArray = await PostRawAsync(client, """{"rows":[]}""");
        using var empty = await PostRawAsync(client, "[]");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity), (misspelt.StatusCode, notArray.StatusCode, empty.StatusCode));
        Assert.Contains("(row 1)", (await misspelt.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((0, 0), await CountsAsync());
    }

    [Fact]
    public async Task Import_RejectsTheRequest_WhenItHasMoreRowsThanTheLimit()
    {
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Api:ImportMaxRows"] = "3" });
        var created = await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Big CRM", [ApiScopes.Import]);
        using var client = ApiClients.For(app, created.Key);

        using var response = await PostAsync(client, Enumerable.Range(0, 4).Select(n => Row($"07700900{n:000}", "Promotions", "Granted", Start, 2)).ToList());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("At most 3 rows", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesImportWithExamples()
    {
        using var client = _app.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var import = document.GetProperty("paths").GetProperty("/api/v1/import").GetProperty("post");
        Assert.Equal(JsonValueKind.Array, import.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").ValueKind);
        Assert.True(import.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        Assert.True(import.GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").TryGetProperty("example", out _));
    }

    private static object Row(string phone, string purpose, string action, DateTimeOffset occurredAt, int consentTextId, string? ip = null, string? userAgent = null) =>
        new { phone, purpose, action, occurredAt = occurredAt.ToString("O", CultureInfo.InvariantCulture), consentTextId, source = "CRM signup form", ipAddress = ip, userAgent };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, IEnumerable<object> rows, string? idempotencyKey = null) =>
        PostRawAsync(client, JsonSerializer.Serialize(rows), idempotencyKey);

    private static async Task<HttpResponseMessage> PostRawAsync(HttpClient client, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/import", UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    private async Task<PreferenceCenterDbContext> OpenAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    /// <summary>Ledger events and customers: what a rejected batch must leave exactly as it was.</summary>
    private async Task<(int Events, int Customers)> CountsAsync()
    {
        await using var db = await OpenAsync();
        return (await db.ConsentEvents.CountAsync(), await db.Customers.CountAsync());
    }
}
