using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Both CSV downloads carry customer-typed text; none of it may reach a spreadsheet as a formula.</summary>
public sealed class CsvInjectionTests : IAsyncLifetime
{
    // One hostile value per formula starter OWASP lists (=, +, -, @, tab, carriage return).
    private static readonly string[] Hostile =
    [
        "=HYPERLINK(\"http://evil.example/?x\",\"Click me\")",
        "+SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ];

    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task StaffExport_NeutralisesFormulaCells_WhenUserAgentAndReasonAreHostile()
    {
        using var agent = await SignedInClients.ForAsync(_app, StaffRoles.Agent);
        var customerId = await CustomersWithConsent.CreateAsync(_app, "+447700900601");
        await RecordHostileChangesAsync(customerId);

        using var response = await agent.GetAsync(new Uri($"/agent/customers/{customerId}/export.csv", UriKind.Relative));

        await AssertSafeCsvAsync(response, "userAgent", "reason", "phone", "+447700900601");
    }

    [Fact]
    public async Task MyHistory_NeutralisesFormulaCells_WhenUserAgentAndReasonAreHostile()
    {
        var (customer, customerId) = await SignedInClients.ForCustomerAsync(_app, "+447700900602");
        using var _ = customer;
        Assert.Equal(ConsentChangeOutcome.Changed, (await _app.Services.GetRequiredService<IConsentService>().GrantAsync(customerId, Purpose.Promotions, 2, new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.1", "Test", "en"))).Outcome);
        await RecordHostileChangesAsync(customerId);

        using var response = await customer.GetAsync(new Uri("/preferences/history.csv", UriKind.Relative));

        await AssertSafeCsvAsync(response, "userAgent", "reason", "phone", "+447700900602");
    }

    // Alternating revoke/grant so that every value lands in its own ledger event, then one plain "Café".
    private async Task RecordHostileChangesAsync(Guid customerId)
    {
        var consents = _app.Services.GetRequiredService<IConsentService>();
        for (var i = 0; i < Hostile.Length; i++)
        {
            var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.9", Hostile[i], "en", Hostile[i]);
            var result = i % 2 == 0
                ? await consents.RevokeAsync(customerId, Purpose.Promotions, 2, evidence)
                : await consents.GrantAsync(customerId, Purpose.Promotions, 2, evidence);
            Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
        }

        var cafe = new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.9", "Café Browser", "en", "Café");
        Assert.Equal(ConsentChangeOutcome.Changed, (await consents.RevokeAsync(customerId, Purpose.Promotions, 2, cafe)).Outcome);
    }

    private static async Task AssertSafeCsvAsync(HttpResponseMessage response, string userAgentColumn, string reasonColumn, string phoneColumn, string e164)
    {
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);

        using var reader = new CsvReader(new StringReader(new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3)), CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        var userAgents = rows.Select(r => (string)r[userAgentColumn]).ToList();
        var reasons = rows.Select(r => (string)r[reasonColumn]).ToList();

        foreach (var value in Hostile)
        {
            Assert.Contains("'" + value, userAgents);
            Assert.Contains("'" + value, reasons);
        }

        // No cell the spreadsheet sees may start with a formula starter.
        Assert.All(rows.SelectMany(r => r.Values).Cast<string>(), cell => Assert.False(cell.Length > 0 && "=+-@\t\r".Contains(cell[0], StringComparison.Ordinal), cell));
        Assert.Contains("Café Browser", userAgents);
        Assert.Contains("Café", reasons);
        Assert.Contains(rows, r => (string)r[phoneColumn] == "'" + e164);
    }
}
