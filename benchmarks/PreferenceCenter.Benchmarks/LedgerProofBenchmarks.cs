using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// A receipt's inclusion proof in a 1,000,000-event ledger (issue #22: ≤ 5 ms) against reading one event's hash by
/// sequence through the same context. The tree's tiles are in memory (built once in setup, as the checkpointer does);
/// each proof reads the leaf's tile and the ragged edge's tile from SQLite and hashes the path.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LedgerProofBenchmarks
{
    public const int Events = 1_000_000;

    private BenchmarkDatabase _app = null!;
    private PreferenceCenterDbContext _db = null!;
    private LedgerProofs _proofs = null!;
    private long _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = await BenchmarkDatabase.CreateAsync("proofs");
        await LedgerSeeder.SeedAsync(_app, customers: 1, events: 1);
        _db = await _app.Contexts.CreateDbContextAsync();

        // Setup only: the tree reads nothing but Sequence and Hash, so the other 999,999 events are copies of the first
        // with their own sequence, id and a random hash, inserted by SQLite itself (the chain does not verify; the tree does not care).
        var columns = (await _db.Database.SqlQueryRaw<string>("""SELECT name AS "Value" FROM pragma_table_info('ConsentEvents')""").ToListAsync())
            .Where(c => c is not ("Sequence" or "Id" or "Hash")).Select(c => $"\"{c}\"").ToList();
        var list = string.Join(", ", columns);
        _db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var sql = $"""
            WITH RECURSIVE s(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM s WHERE n < {Events})
            INSERT INTO "ConsentEvents" ("Sequence", "Id", "Hash", {list})
            SELECT n, upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                lower(hex(randomblob(32))), {list}
            FROM s, (SELECT * FROM "ConsentEvents" WHERE "Sequence" = 1)
            """;
        await _db.Database.ExecuteSqlRawAsync(sql); // column names from the schema, no input
        _proofs = _app.Services.GetRequiredService<LedgerProofs>();
        await _proofs.ExtendAsync(_db, Events);
        var check = await InclusionProof();
        if (!Domain.Ledger.MerkleTree.VerifyInclusion(check.LeafIndex, check.TreeSize, check.LeafHash, check.AuditPath, check.RootHash) || check.AuditPath.Count != 20)
        {
            throw new InvalidOperationException("The proof does not verify.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _db.DisposeAsync();
        await _app.DisposeAsync();
    }

    // Leaves spread over the whole tree, a different one each call.
    private long NextLeaf() => (_next = (_next + 104_729) % Events);

    [Benchmark(Baseline = true)]
    public Task<string?> ReadOneEvent()
    {
        var sequence = NextLeaf() + 1;
        return _db.ConsentEvents.AsNoTracking().Where(e => e.Sequence == sequence).Select(e => e.Hash).FirstAsync();
    }

    [Benchmark]
    public Task<InclusionProof> InclusionProof() => _proofs.InclusionAsync(_db, NextLeaf(), Events);
}
