using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The app's instruments move on real actions against a real database, with the tags ADR 20 names.</summary>
public sealed class MetricsTests
{
    private const int AlertsText = 1;
    private const int PromotionsText = 2;

    [Fact]
    public async Task ConsentCounters_CountEachCommittedChange_ByPurposeAndMethod()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Sms:SendingNumbers:Promotions"] = "+447700900002" });
        using var granted = Collect(database, "preferencecenter.consents.granted");
        using var revoked = Collect(database, "preferencecenter.consents.revoked");
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");

        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.GrantAsync(customer, Purpose.AccountAlerts, AlertsText, TestDatabase.Evidence(customer) with { Method = ConsentMethod.Embedded("shop") });
        await database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest("SM-metrics-1", "+447700900123", "+447700900002", "STOP"));

        // The repeated grant changed nothing, so it counts nothing; an embed site is one "embedded" series.
        Assert.Equal(
            [("Promotions", "web", 1L), ("AccountAlerts", "embedded", 1L)],
            granted.GetMeasurementSnapshot().Select(m => ((string)m.Tags["purpose"]!, (string)m.Tags["method"]!, m.Value)));
        var stop = Assert.Single(revoked.GetMeasurementSnapshot());
        Assert.Equal(("Promotions", "sms", 1L), ((string)stop.Tags["purpose"]!, (string)stop.Tags["method"]!, stop.Value));
    }

    [Fact]
    public async Task ConsentCounters_CountAFlowsEventsOnlyOnCommit_WhenItsTransactionIsAbandonedFirst()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var granted = Collect(database, "preferencecenter.consents.granted");
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");
        var ledger = database.Services.GetRequiredService<ConsentLedger>();
        await using (var db = await database.OpenAsync())
        {
            // Appended, then disposed without a commit: rolled back, so never counted.
            await using var abandoned = await ledger.BeginAsync(db, database.Clock.GetUtcNow(), CancellationToken.None);
            Assert.NotNull((await abandoned.Writer.AppendAsync(customer, Purpose.Promotions, ConsentAction.Granted, "+447700900123", PromotionsText, TestDatabase.Evidence(customer), CancellationToken.None)).Event);
        }

        Assert.Empty(granted.GetMeasurementSnapshot());
        await using (var db = await database.OpenAsync())
        {
            await using var committed = await ledger.BeginAsync(db, database.Clock.GetUtcNow(), CancellationToken.None);
            await committed.Writer.AppendAsync(customer, Purpose.Promotions, ConsentAction.Granted, "+447700900123", PromotionsText, TestDatabase.Evidence(customer), CancellationToken.None);
            await committed.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(1L, Assert.Single(granted.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task VerificationCounters_CountSentWrongLockedAndVerified()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var sent = Collect(database, "preferencecenter.verification.codes.sent");
        using var failed = Collect(database, "preferencecenter.verification.codes.failed");
        using var locked = Collect(database, "preferencecenter.verification.codes.locked");
        using var verified = Collect(database, "preferencecenter.verification.codes.verified");
        using var refused = Collect(database, "preferencecenter.verification.codes.refused");
        var customer = await database.CreateCustomerAsync();
        var evidence = TestDatabase.Evidence(customer);

        var code = await database.SendCodeAndReadItAsync(customer, "+447700900123");
        var again = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+447700900123"));
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await database.Verification.VerifyAsync(customer, wrong, evidence);
        }

        // A sixth guess at a locked code changes nothing and is not counted again.
        Assert.Equal(VerifyOutcome.TooManyAttempts, (await database.Verification.VerifyAsync(customer, code, evidence)).Outcome);
        Assert.Equal(SendRefusal.Cooldown, again.Decision.Refusal);
        Assert.Equal(1, sent.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(5, failed.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, locked.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(0, verified.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("Cooldown", Assert.Single(refused.GetMeasurementSnapshot()).Tags["reason"]);

        database.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await database.SendCodeAndReadItAsync(customer, "+447700900123");
        Assert.Equal(VerifyOutcome.Verified, (await database.Verification.VerifyAsync(customer, second, evidence)).Outcome);
        Assert.Equal(1, verified.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, sent.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task SmsCounters_CountSentAndRefusedTexts_ByPurpose()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Sms:SendingNumbers:Promotions"] = "+447700900002" });
        using var sent = Collect(database, "preferencecenter.sms.sent");
        using var refused = Collect(database, "preferencecenter.sms.refused");
        var gateway = database.Services.GetRequiredService<ISmsGateway>();
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");

        await gateway.SendAsync("+447700900123", Purpose.Promotions, "Big sale");
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await gateway.SendAsync("+447700900123", Purpose.Promotions, "Big sale");
        await database.Services.GetRequiredService<InboundSmsService>().HandleAsync(new InboundSmsRequest("SM-metrics-2", "+447700900123", "+447700900002", "STOP"));
        await gateway.SendAsync("+447700900123", Purpose.Promotions, "Another sale");

        Assert.Equal("Promotions", Assert.Single(sent.GetMeasurementSnapshot()).Tags["purpose"]);
        Assert.Equal(2, refused.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task WebhookLag_ReportsEventsBehindPerSubscriber_AndFallsWhenDelivered()
    {
        await using var database = await TestDatabase.CreateAsync();
        var gauge = database.Services.GetRequiredService<WebhookLagGauge>();
        using var lag = Collect(database, "preferencecenter.webhooks.lag");
        await database.Services.GetRequiredService<WebhookSubscribers>().CreateAsync("CRM", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Granted, ConsentAction.Revoked]);
        var customer = await database.CreateVerifiedCustomerAsync();
        await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
        await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));

        lag.RecordObservableInstruments();
        var behind = Assert.Single(lag.GetMeasurementSnapshot());
        Assert.Equal((2L, "CRM"), (behind.Value, (string)behind.Tags["subscriber"]!));

        // Fanned out, the two deliveries are still pending: still behind. Answered by the receiver: caught up.
        await ActivatorUtilities.CreateInstance<WebhookDispatcher>(database.Services, new NoPayloads()).FanOutAsync(CancellationToken.None);
        database.Clock.Advance(WebhookLagGauge.RefreshInterval);
        lag.RecordObservableInstruments();
        Assert.Equal(2, lag.LastMeasurement!.Value);
        await using (var db = await database.OpenAsync())
        {
            foreach (var delivery in db.WebhookDeliveries)
            {
                delivery.Succeeded(database.Clock.GetUtcNow(), 200);
            }

            await db.SaveChangesAsync();
        }

        database.Clock.Advance(WebhookLagGauge.RefreshInterval);
        lag.RecordObservableInstruments();
        Assert.Equal(0, lag.LastMeasurement!.Value);
        Assert.NotNull(gauge);
    }

    private static MetricCollector<long> Collect(TestDatabase database, string instrument) =>
        new(database.Services.GetRequiredService<IMeterFactory>(), PreferenceCenterMetrics.MeterName, instrument, database.Clock);

    private sealed class NoPayloads : IWebhookPayloadWriter
    {
        public byte[] Write(ConsentEvent consentEvent) => [];
    }
}
