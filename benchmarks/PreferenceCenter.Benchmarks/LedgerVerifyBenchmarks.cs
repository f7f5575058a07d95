using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// `ledger verify` over 100,000 stored events against bare SHA-256 over the same canonical bytes, already in memory.
/// Goal: ratio ≤ 2.0 (≥ 0.5× the bare hashing throughput).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class LedgerVerifyBenchmarks
{
    public const int Events = 100_000;

    private BenchmarkDatabase _app = null!;
    private byte[][] _canonical = [];
    private CheckpointKeys? _checkpointKey;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = await BenchmarkDatabase.CreateAsync("verify");
        var events = await LedgerSeeder.SeedAsync(_app, customers: 1_000, Events);
        _canonical = events.Select(e => LedgerEncoding.Canonical(e, e.PersonalDigest!, e.PreviousHash!)).ToArray();
        _checkpointKey = _app.Services.GetRequiredService<LedgerCheckpointer>().Keys;
        var report = await VerifyLedger();
        if (!report.Intact || report.Events != Events)
        {
            throw new InvalidOperationException($"Seeded ledger does not verify: {report.Summary}");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _app.DisposeAsync();

    [Benchmark(Baseline = true)]
    public int Sha256OverCanonicalBytes()
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var fold = 0;
        foreach (var bytes in _canonical)
        {
            SHA256.HashData(bytes, hash);
            fold ^= hash[0];
        }

        return fold;
    }

    /// <summary>What `ledger verify` runs: a fresh context, the checkpoint key, the whole chain from disk.</summary>
    [Benchmark]
    public async Task<LedgerReport> VerifyLedger()
    {
        await using var db = await _app.Contexts.CreateDbContextAsync();
        var report = await LedgerVerifier.VerifyAsync(db, _checkpointKey);
        return report.Intact ? report : throw new InvalidOperationException(report.Summary);
    }
}
