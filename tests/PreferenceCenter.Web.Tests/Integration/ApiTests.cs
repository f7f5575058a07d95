using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Contract tests of /api/v1 through the real pipeline: keys, scopes, every endpoint and its errors.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Api_AnswersProblemDetails401_WhenTheKeyIsMissingWrongOrRevoked()
    {
        var keys = _app.Services.GetRequiredService<IntegrationKeys>();
        var revoked = await keys.CreateAsync("Old CRM", [ApiScopes.ConsentsRead]);
        await keys.RevokeAsync(revoked.Integration.Id);

        foreach (var key in new string?[] { null, "pc_000000000000_nope", revoked.Key, revoked.Key + "x" })
        {
            using var client = ApiClients.For(_app, key);
            using var response = await client.GetAsync(new Uri("/api/v1/changes", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Api_Answers401_WhenCalledWithAnAdminsSignInCookieInsteadOfAKey()
    {
        using var admin = await SignedInClients.ForAsync(_app, StaffRoles.Admin);
        using var staffPage = await admin.GetAsync(new Uri("/admin/integrations", UriKind.Relative));

        using var response = await admin.GetAsync(new Uri("/api/v1/changes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, staffPage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_Answers401AtOnce_WhenAKeyInUseIsRevokedOnThisInstance()
    {
        var keys = _app.Services.GetRequiredService<IntegrationKeys>();
        var created = await keys.CreateAsync("Busy CRM", [ApiScopes.ConsentsRead]);
        using var client = ApiClients.For(_app, created.Key);
        using var before = await client.GetAsync(new Uri("/api/v1/consents/check?phone=07700900123&purpose=Promotions", UriKind.Relative));

        await keys.RevokeAsync(created.Integration.Id);
        using var after = await client.GetAsync(new Uri("/api/v1/consents/check?phone=07700900123&purpose=Promotions", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (before.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task Revoke_Answers403_WhenTheKeyLacksTheWriteScope()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900560");
        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);

        using var response = await PostRevokeAsync(client, customer, "Promotions", "k-403");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await EventsOfAsync(customer));
    }

    [Fact]
    public async Task Consents_ShowCurrentStateWithTheDecidingEvent_ByCustomerAndByAnyPhoneFormat()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900561");
        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);

        var byId = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/customers/{customer}/consents", UriKind.Relative));
        var byPhone = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents?phone=07700%20900561", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri($"/api/v1/customers/{Guid.NewGuid()}/consents", UriKind.Relative));
        using var badPhone = await client.GetAsync(new Uri("/api/v1/consents?phone=12", UriKind.Relative));

        var promotions = byId.GetProperty("consents").EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "Promotions");
        Assert.True(promotions.GetProperty("granted").GetBoolean());
        Assert.Equal("Granted", promotions.GetProperty("decidingEvent").GetProperty("action").GetString());
        Assert.Equal("+447700900561", promotions.GetProperty("decidingEvent").GetProperty("phone").GetString());
        Assert.Equal(customer, byPhone.EnumerateArray().Single().GetProperty("customerId").GetGuid());
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (unknown.StatusCode, badPhone.StatusCode));
    }

    [Fact]
    public async Task Check_SaysYesOnlyWhileConsentStands_AndRefusesBadInput()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900562");
        using var reader = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);
        using var writer = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsWrite);

        var before = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents/check?phone=%2B44%207700%20900562&purpose=promotions", UriKind.Relative));
        var alerts = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents/check?phone=07700900562&purpose=AccountAlerts", UriKind.Relative));
        using var revoked = await PostRevokeAsync(writer, customer, "Promotions", "k-check");
        var after = await reader.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/consents/check?phone=07700900562&purpose=Promotions", UriKind.Relative));
        using var badPurpose = await reader.GetAsync(new Uri("/api/v1/consents/check?phone=07700900562&purpose=Everything", UriKind.Relative));

        Assert.True(before.GetProperty("allowed").GetBoolean());
        Assert.Equal("+447700900562", before.GetProperty("phone").GetString());
        Assert.False(alerts.GetProperty("allowed").GetBoolean());
        Assert.False(after.GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, badPurpose.StatusCode);
    }

    [Fact]
    public async Task Api_LogsEachCallWithItsIntegrationAndRoutePatternOnly_WhenKeysCallAndOverrunTheirRate()
    {
        var logs = new FakeLogCollector();
        await using var app = _app.WithWebHostBuilder(b => b
            .UseSetting("Api:RequestsPerMinute", "2")
            .ConfigureLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        var created = await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync("Log CRM", [ApiScopes.ConsentsRead]);
        using var client = ApiClients.For(app, created.Key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(new Uri("/api/v1/consents/check?phone=07700%20900563&purpose=Promotions", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        var calls = logs.GetSnapshot().Where(r => r.Category == "PreferenceCenter.Api").ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(["200", "200", "429"], calls.Select(c => c.GetStructuredStateValue("Status")));
        Assert.All(calls, c =>
        {
            Assert.Equal(created.Integration.Id.ToString(), c.GetStructuredStateValue("IntegrationId"));
            Assert.Equal("Log CRM", c.GetStructuredStateValue("IntegrationName"));
            Assert.Equal("/api/v1/consents/check", c.GetStructuredStateValue("Route"));
            Assert.DoesNotContain("900563", c.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Revoke_LogsOnceAndReplaysTheFirstAnswer_WhenRetriedWithTheSameIdempotencyKey()
    {
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900563");
        var key = await ApiClients.NewKeyAsync(_app, ApiScopes.ConsentsWrite);
        using var client = ApiClients.For(_app, key);

        using var first = await PostRevokeAsync(client, customer, "Promotions", "retry-1");
        using var again = await PostRevokeAsync(client, customer, "promotions", "retry-1");
        using var otherRequest = await PostRevokeAsync(client, customer, "AccountAlerts", "retry-1");
        using var noKey = await PostRevokeAsync(client, customer, "Promotions", null);

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Contains("\"outcome\":\"Changed\"", firstBody, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.BadRequest), (otherRequest.StatusCode, noKey.StatusCode));
        await using var db = await OpenAsync();
        var events = await db.ConsentEvents.Where(e => e.CustomerId == customer).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(2, events.Count);
        var integration = (await _app.Services.GetRequiredService<IntegrationKeys>().AuthenticateAsync(key))!;
        Assert.Equal(("api", integration.Actor, ConsentAction.Revoked), (events[1].Method, events[1].Actor, events[1].Action));
    }

    [Fact]
    public async Task Changes_ReturnsEveryEventExactlyOnceInLedgerOrder_WhilePagesAreReadDuringWrites()
    {
        var customers = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add(await CustomersWithConsent.CreateAsync(_app, $"+44770090057{i}"));
        }

        using var client = await ApiClients.WithNewKeyAsync(_app, ApiScopes.ConsentsRead);
        var consents = _app.Services.GetRequiredService<IConsentService>();

        // Each write lets the reader read one more page, so reads interleave with writes however slow the machine is,
        // and a fast reader cannot spin into the per-key rate limit while it waits.
        using var wrote = new SemaphoreSlim(0);
        var writes = Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                foreach (var c in customers)
                {
                    var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{c}", null, null, null);
                    _ = round % 2 == 0 ? await consents.RevokeAsync(c, Purpose.Promotions, 2, evidence) : await consents.GrantAsync(c, Purpose.Promotions, 2, evidence);
                    wrote.Release();
                }
            }
        });

        var seen = new List<long>();
        var cursor = "0";
        var idle = 0;
        while (idle < 2)
        {
            if (!writes.IsCompleted)
            {
                await Task.WhenAny(wrote.WaitAsync(TestContext.Current.CancellationToken), writes);
            }

            var page = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/changes?after={cursor}&limit=4", UriKind.Relative));
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString()!;
            idle = !page.GetProperty("hasMore").GetBoolean() && writes.IsCompleted ? idle + 1 : 0;
        }

        await writes;
        await using var db = await OpenAsync();
        Assert.Equal(await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(), seen);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryEndpoint()
    {
        using var client = _app.CreateClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        foreach (var path in new[] { "/api/v1/customers/{id}/consents", "/api/v1/consents", "/api/v1/consents/check", "/api/v1/customers/{id}/consents/{purpose}/revoke", "/api/v1/changes" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Api_Answers429WithRetryAfterToThatKeyOnly_WhenAKeyExceedsItsRate()
    {
        await using var app = new PreferenceCenterAppFactory("Development", new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "3" });
        var keys = app.Services.GetRequiredService<IntegrationKeys>();
        var created = await keys.CreateAsync("Busy CRM", [ApiScopes.ConsentsRead]);
        var other = await keys.CreateAsync("Quiet CRM", [ApiScopes.ConsentsRead]);
        using var client = ApiClients.For(app, created.Key);
        using var otherClient = ApiClients.For(app, other.Key);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync(new Uri("/api/v1/changes", UriKind.Relative));
            statuses.Add(last.StatusCode);
        }

        using var others = await otherClient.GetAsync(new Uri("/api/v1/changes", UriKind.Relative));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter is not null);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);
        last.Dispose();
    }

    private static async Task<HttpResponseMessage> PostRevokeAsync(HttpClient client, Guid customer, string purpose, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/customers/{customer}/consents/{purpose}/revoke", UriKind.Relative));
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    private async Task<PreferenceCenterDbContext> OpenAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    private async Task<int> EventsOfAsync(Guid customer)
    {
        await using var db = await OpenAsync();
        return await db.ConsentEvents.CountAsync(e => e.CustomerId == customer);
    }
}
