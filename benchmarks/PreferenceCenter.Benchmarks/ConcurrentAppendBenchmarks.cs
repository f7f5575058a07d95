using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// "No global lock that stalls the UI": the read a preferences page makes (the customer's states) on an idle database
/// against the same read while four writers append as fast as they can (goal: ratio ≤ 2.0), and while another
/// connection sits on SQLite's write lock (BEGIN IMMEDIATE, never committing): WAL readers must not wait for it.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ConcurrentAppendBenchmarks
{
    private const int Writers = 4;

    private BenchmarkDatabase _app = null!;
    private Guid _reader;
    private BackgroundWriters? _writers;
    private SqliteConnection? _lockHolder;

    [GlobalSetup(Target = nameof(ReadStatesIdle))]
    public Task SetupIdleAsync() => PrepareAsync();

    [GlobalSetup(Target = nameof(ReadStatesWhileFourWritersAppend))]
    public async Task SetupBusyAsync()
    {
        await PrepareAsync();
        var customers = new Guid[Writers];
        for (var i = 0; i < Writers; i++)
        {
            customers[i] = await _app.CreateVerifiedCustomerAsync($"+4477009001{11 + i}");
        }

        _writers = BackgroundWriters.Start(_app.Consents, customers);
    }

    [GlobalSetup(Target = nameof(ReadStatesWhileWriteLockHeld))]
    public async Task SetupLockedAsync()
    {
        await PrepareAsync();
        _lockHolder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _app.DatabasePath, Pooling = false }.ToString());
        _lockHolder.Open();
        using var begin = _lockHolder.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        // Closing the connection rolls its open transaction back and releases the write lock.
        _lockHolder?.Dispose();
        if (_writers is not null)
        {
            // The writers' own numbers, and proof that concurrent appends left one linear, intact chain.
            var (appended, elapsed) = await _writers.StopAsync();
            await using var db = await _app.Contexts.CreateDbContextAsync();
            var report = await LedgerVerifier.VerifyAsync(db);
            Console.WriteLine($"// {Writers} background writers: {appended} events in {elapsed.TotalSeconds:F1} s ({appended / elapsed.TotalSeconds:F0}/s); ledger: {report.Summary}");
            if (!report.Intact)
            {
                throw new InvalidOperationException(report.Summary);
            }
        }

        await _app.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<ConsentStateView>> ReadStatesIdle() => _app.Consents.GetStatesAsync(_reader);

    [Benchmark]
    public Task<IReadOnlyList<ConsentStateView>> ReadStatesWhileFourWritersAppend() => _app.Consents.GetStatesAsync(_reader);

    [Benchmark]
    public Task<IReadOnlyList<ConsentStateView>> ReadStatesWhileWriteLockHeld() => _app.Consents.GetStatesAsync(_reader);

    private async Task PrepareAsync()
    {
        _app = await BenchmarkDatabase.CreateAsync("concurrent");
        _reader = await _app.CreateVerifiedCustomerAsync("+447700900110");
        var evidence = BenchmarkDatabase.Evidence(_reader);
        await _app.Consents.GrantAsync(_reader, Purpose.AccountAlerts, 1, evidence);
        await _app.Consents.GrantAsync(_reader, Purpose.Promotions, 2, evidence);
    }

    /// <summary>Each writer flips its own customer's consent, grant then revoke, until stopped: one event per call.</summary>
    private sealed class BackgroundWriters
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private Task<long>[] _tasks = [];

        public static BackgroundWriters Start(IConsentService consents, IEnumerable<Guid> customers)
        {
            var writers = new BackgroundWriters();
            writers._tasks = customers.Select(c => Task.Run(() => writers.AppendUntilStoppedAsync(consents, c))).ToArray();
            return writers;
        }

        public async Task<(long Appended, TimeSpan Elapsed)> StopAsync()
        {
            await _stop.CancelAsync();
            var counts = await Task.WhenAll(_tasks);
            _stop.Dispose();
            return (counts.Sum(), _clock.Elapsed);
        }

        private async Task<long> AppendUntilStoppedAsync(IConsentService consents, Guid customer)
        {
            var evidence = BenchmarkDatabase.Evidence(customer);
            var appended = 0L;
            while (!_stop.IsCancellationRequested)
            {
                var result = appended % 2 == 0
                    ? await consents.GrantAsync(customer, Purpose.AccountAlerts, 1, evidence)
                    : await consents.RevokeAsync(customer, Purpose.AccountAlerts, 1, evidence);
                appended += result.Outcome == ConsentChangeOutcome.Changed ? 1 : throw new InvalidOperationException($"Writer expected a change, got {result.Outcome}.");
            }

            return appended;
        }
    }
}
