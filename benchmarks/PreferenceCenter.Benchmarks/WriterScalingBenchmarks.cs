using BenchmarkDotNet.Attributes;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// Eight appends by one writer in a row against eight appends from four concurrent writers (two each, as four
/// circuits clicking at once). SQLite serialises them (BEGIN IMMEDIATE + busy_timeout); this shows what the queueing costs.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class WriterScalingBenchmarks
{
    private const int Writers = 4;
    private const int Appends = 8;

    private BenchmarkDatabase _app = null!;
    private Guid[] _customers = [];
    private ConsentEvidence[] _evidence = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = await BenchmarkDatabase.CreateAsync("scaling");
        _customers = new Guid[Writers];
        for (var i = 0; i < Writers; i++)
        {
            _customers[i] = await _app.CreateVerifiedCustomerAsync($"+4477009001{21 + i}");
        }

        _evidence = _customers.Select(BenchmarkDatabase.Evidence).ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await using (var db = await _app.Contexts.CreateDbContextAsync())
        {
            var report = await LedgerVerifier.VerifyAsync(db);
            Console.WriteLine($"// ledger after the run: {report.Summary}");
            if (!report.Intact)
            {
                throw new InvalidOperationException(report.Summary);
            }
        }

        await _app.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task OneWriterEightAppends()
    {
        for (var i = 0; i < Appends / 2; i++)
        {
            await GrantThenRevokeAsync(0);
        }
    }

    [Benchmark]
    public Task FourWritersTwoAppendsEach() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() => GrantThenRevokeAsync(w))));

    private async Task GrantThenRevokeAsync(int writer)
    {
        var granted = await _app.Consents.GrantAsync(_customers[writer], Purpose.AccountAlerts, 1, _evidence[writer]);
        var revoked = await _app.Consents.RevokeAsync(_customers[writer], Purpose.AccountAlerts, 1, _evidence[writer]);
        if (granted.Outcome != ConsentChangeOutcome.Changed || revoked.Outcome != ConsentChangeOutcome.Changed)
        {
            throw new InvalidOperationException($"Expected two changes, got {granted.Outcome} and {revoked.Outcome}.");
        }
    }
}
