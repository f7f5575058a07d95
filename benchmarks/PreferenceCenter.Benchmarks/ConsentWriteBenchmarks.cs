using BenchmarkDotNet.Attributes;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// One durable consent change (event + projection + hash chain, one transaction) against the cheapest durable
/// append SQLite offers on the same disk with the same pragmas. Goal (#19): ratio ≤ 1.43 (≥ 0.7× the raw throughput).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ConsentWriteBenchmarks
{
    private const int AccountAlertsTextId = 1;

    private BenchmarkDatabase _app = null!;
    private RawEventTable _raw = null!;
    private ConsentEvidence _evidence = null!;
    private Guid _customer;
    private bool _granted;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = await BenchmarkDatabase.CreateAsync("write");
        _customer = await _app.CreateVerifiedCustomerAsync("+447700900101");
        _evidence = BenchmarkDatabase.Evidence(_customer);
        _raw = new RawEventTable(Path.Combine(_app.Folder, "raw.db"));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _raw.Dispose();
        await _app.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public void RawSqliteInsertCommit() => _raw.InsertOne();

    /// <summary>Alternates grant and revoke so every call is a real change that appends one event.</summary>
    [Benchmark]
    public async Task<ConsentChangeResult> ConsentServiceGrantOrRevoke()
    {
        _granted = !_granted;
        var result = _granted
            ? await _app.Consents.GrantAsync(_customer, Purpose.AccountAlerts, AccountAlertsTextId, _evidence)
            : await _app.Consents.RevokeAsync(_customer, Purpose.AccountAlerts, AccountAlertsTextId, _evidence);
        return result.Outcome == ConsentChangeOutcome.Changed ? result : throw new InvalidOperationException($"Expected a change, got {result.Outcome}.");
    }
}
