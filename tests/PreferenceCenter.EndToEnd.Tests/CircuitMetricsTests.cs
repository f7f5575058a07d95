using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests;

/// <summary><c>preferencecenter.circuits.active</c> follows real browser tabs (own server, so no other test's circuits count).</summary>
[Collection(BrowserGroup.Name)]
public sealed class CircuitMetricsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ActiveCircuits_RiseWhenATabOpensAnInteractivePage_AndFallWhenItCloses()
    {
        await using var app = new AppServer();
        using var circuits = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), PreferenceCenterMetrics.MeterName, "preferencecenter.circuits.active");
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        context.SetDefaultTimeout(15_000);

        var first = await OpenPreferencesAsync(context);
        var second = await OpenPreferencesAsync(context);
        await Poll.UntilAsync(() => Open(circuits) == 2, "two tabs hold two circuits");

        // Closing a tab tells the server (Blazor's unload beacon), which ends that circuit at once.
        await first.CloseAsync(new() { RunBeforeUnload = true });
        await Poll.UntilAsync(() => Open(circuits) == 1, "the closed tab's circuit ended");
        await second.CloseAsync(new() { RunBeforeUnload = true });
        await Poll.UntilAsync(() => Open(circuits) == 0, "no circuits are left");
        await context.CloseAsync();
    }

    private static long Open(MetricCollector<long> circuits) => circuits.GetMeasurementSnapshot().Sum(m => m.Value);

    private static async Task<IPage> OpenPreferencesAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await new PreferencesPage(page).OpenAsync();
        return page;
    }
}
