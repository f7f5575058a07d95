using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Public-key checkpoints over the Merkle tree of the ledger, and proofs from the stored log (ADR 37).</summary>
public sealed class LedgerProofTests
{
    // Two full tiles of 256 and a ragged edge.
    private const int Events = 530;

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Checkpoint_SignsTheMerkleRootOfTheWholeLog_AsAC2spNoteThePublishedKeyVerifies(TestProvider provider)
    {
        await using var database = await WithEventsAsync(provider, Events);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();

        var checkpoint = await checkpointer.CheckpointAsync();

        Assert.NotNull(checkpoint?.Note);
        var note = CheckpointNote.Verify(checkpoint.Note, checkpointer.Keys.Public, out var problem);
        Assert.True(note is not null, problem);
        Assert.Equal((LedgerSigningKeys.DefaultOrigin, (long)Events), (note.Origin, note.TreeSize));
        await using var db = await database.OpenAsync();
        var leaves = (await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Hash!).ToListAsync()).Select(MerkleTree.EventLeafHash).ToList();
        Assert.Equal(MerkleTree.Root(Events, new InMemoryMerkleTree(leaves)), note.RootHash);
        Assert.Equal(Convert.ToHexStringLower(note.RootHash), checkpoint.RootHash);
        Assert.StartsWith($"{LedgerSigningKeys.DefaultOrigin}\n{Events}\n{Convert.ToBase64String(note.RootHash)}\n\n\u2014 {LedgerSigningKeys.DefaultOrigin} ", checkpoint.Note, StringComparison.Ordinal);
        Assert.True((await LedgerVerifier.VerifyAsync(db, checkpointer.Keys)).Intact);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Proofs_FromTheStoredLog_VerifyAgainstTheRoots_ForLeavesInEveryTileAndTheRaggedEdge(TestProvider provider)
    {
        await using var database = await WithEventsAsync(provider, Events);
        var proofs = database.Services.GetRequiredService<LedgerProofs>();
        await using var db = await database.OpenAsync();
        var leaves = (await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Hash!).ToListAsync()).Select(MerkleTree.EventLeafHash).ToList();
        var memory = new InMemoryMerkleTree(leaves);

        foreach (var size in new long[] { 1, 255, 256, 257, 512, 513, Events })
        {
            var root = MerkleTree.Root(size, memory);
            Assert.Equal(root, await proofs.RootAsync(db, size));
            foreach (var index in new long[] { 0, 1, 254, 255, 256, 300, 511, 512, size - 1 }.Where(i => i < size))
            {
                var proof = await proofs.InclusionAsync(db, index, size);
                Assert.Equal(MerkleTree.InclusionProof(index, size, memory).Select(Convert.ToHexStringLower), proof.AuditPath.Select(Convert.ToHexStringLower));
                Assert.True(MerkleTree.VerifyInclusion(index, size, leaves[(int)index], proof.AuditPath, root), $"leaf {index} of {size}");
            }
        }

        foreach (var (first, second) in new (long, long)[] { (1, Events), (100, 300), (256, 512), (257, 513), (513, Events), (Events, Events) })
        {
            var proof = await proofs.ConsistencyAsync(db, first, second);
            Assert.True(MerkleTree.VerifyConsistency(first, second, MerkleTree.Root(first, memory), MerkleTree.Root(second, memory), proof), $"{first} → {second}");
        }

        Assert.Equal(2, proofs.Tiles);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ReportsCheckpointMismatch_WhenASignedRootIsNotTheRootOfTheStoredEvents(TestProvider provider)
    {
        await using var database = await WithEventsAsync(provider, 6);
        var keys = database.Services.GetRequiredService<LedgerSigningKeys>();
        await using var db = await database.OpenAsync();
        var head = await db.ConsentEvents.OrderByDescending(e => e.Sequence).FirstAsync();
        var forgedRoot = SHA256.HashData("another history"u8);
        var note = CheckpointNote.Sign(CheckpointNote.Body(keys.Origin, 6, forgedRoot), keys.Origin, keys.Current);
        db.LedgerCheckpoints.Add(LedgerCheckpoint.CreateSigned(6, head.Hash!, forgedRoot, database.Clock.GetUtcNow(), note, keys.CurrentPublic.KeyId));
        await db.SaveChangesAsync();

        var report = await LedgerVerifier.VerifyAsync(db, database.Services.GetRequiredService<LedgerCheckpointer>().Keys);

        Assert.Equal((false, 6L), (report.Intact, report.BrokenAt));
        Assert.Contains("checkpoint mismatch", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_KeepsOldCheckpointsValid_AfterRotation_OnlyWhileTheOldKeyStaysPublished(TestProvider provider)
    {
        await using var database = await WithEventsAsync(provider, 6);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        await using var db = await database.OpenAsync();
        var events = await db.ConsentEvents.OrderBy(e => e.Sequence).Select(e => e.Hash!).ToListAsync();

        // Sequence 2: an HMAC checkpoint from before ADR 37; sequence 4: signed by a key since rotated out.
        db.LedgerCheckpoints.Add(LedgerCheckpoint.Create(2, events[1], database.Clock.GetUtcNow(), checkpointer.Key));
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var oldPublic = LedgerPublicKey.Of(LedgerSigningKeys.DefaultOrigin, oldKey, validUntil: database.Clock.GetUtcNow());
        var root4 = MerkleTree.Root(4, new InMemoryMerkleTree([.. events.Take(4).Select(MerkleTree.EventLeafHash)]));
        var note = CheckpointNote.Sign(CheckpointNote.Body(LedgerSigningKeys.DefaultOrigin, 4, root4), LedgerSigningKeys.DefaultOrigin, oldKey);
        db.LedgerCheckpoints.Add(LedgerCheckpoint.CreateSigned(4, events[3], root4, database.Clock.GetUtcNow(), note, oldPublic.KeyId));
        await db.SaveChangesAsync();
        Assert.NotNull(await checkpointer.CheckpointAsync());

        var withOldKey = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys with { Public = [.. checkpointer.Keys.Public, oldPublic] });
        var withoutOldKey = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);

        Assert.True(withOldKey.Intact, withOldKey.Summary);
        Assert.Equal((false, 4L), (withoutOldKey.Intact, withoutOldKey.BrokenAt));
        Assert.Contains("no signature by a published key", withoutOldKey.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedKeys_ListTheCurrentKeyAndTheRetiredOnes_WhenARotationIsConfigured()
    {
        using var retired = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var folder = Directory.CreateTempSubdirectory("pc-keys-");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ledger:Origin"] = "prefs.example.com/consent-ledger",
                ["Secrets:ledger-signing-key"] = Convert.ToBase64String(current.ExportPkcs8PrivateKey()),
                ["Ledger:SigningKeyValidFrom"] = "2026-12-01T00:00:00Z",
                ["Ledger:RetiredSigningKeys:0:PublicKey"] = Convert.ToBase64String(retired.ExportSubjectPublicKeyInfo()),
                ["Ledger:RetiredSigningKeys:0:ValidFrom"] = "2026-01-01T00:00:00Z",
                ["Ledger:RetiredSigningKeys:0:ValidUntil"] = "2026-12-01T00:00:00Z",
            }).Build();
            var keys = new LedgerSigningKeys(new KeyStore(configuration, Options.Create(new StorageOptions { DataFolder = folder.FullName })), configuration);

            var published = keys.Published;

            Assert.Equal([current.ExportSubjectPublicKeyInfo(), retired.ExportSubjectPublicKeyInfo()], published.Select(k => k.SubjectPublicKeyInfo));
            Assert.All(published, k => Assert.Equal("prefs.example.com/consent-ledger", k.Name));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(retired.ExportSubjectPublicKeyInfo())[..4]), published[1].KeyId);
            Assert.Equal((new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset?)null), (published[0].ValidFrom!.Value, published[0].ValidUntil));
            Assert.False(Directory.Exists(Path.Combine(folder.FullName, "keys")), "a configured key is never written to disk");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SigningKey_IsGeneratedIntoTheDataFolderOnce_WhenNotConfigured()
    {
        await using var database = await TestDatabase.CreateAsync();
        var first = database.Services.GetRequiredService<LedgerSigningKeys>().CurrentPublic;
        var store = database.Services.GetRequiredService<KeyStore>();

        using var reloaded = ECDsa.Create();
        reloaded.ImportPkcs8PrivateKey(store.GetOrCreate(LedgerSigningKeys.KeyName), out _);

        Assert.Equal(first.SubjectPublicKeyInfo, reloaded.ExportSubjectPublicKeyInfo());
        Assert.Equal(256, reloaded.KeySize);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Consistency_ProvesTheOlderCheckpointIsAPrefix_AndRefusesARewrittenHistory(TestProvider provider)
    {
        await using var database = await WithEventsAsync(provider, 300);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        Assert.Equal(300L, (await checkpointer.CheckpointAsync())?.Sequence);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900132");
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        var newer = await checkpointer.CheckpointAsync();
        await using var db = await database.OpenAsync();

        var good = await LedgerConsistency.CheckAsync(db, checkpointer.Keys, 300, newer!.Sequence);
        var missing = await LedgerConsistency.CheckAsync(db, checkpointer.Keys, 299, newer.Sequence);

        Assert.True(good.Consistent, good.Summary);
        Assert.NotEmpty(good.Proof!);
        Assert.False(missing.Consistent);
        Assert.Contains("no signed checkpoint of tree size 299", missing.Summary, StringComparison.Ordinal);

        // An operator who rewrites event 5 (and re-chains everything after it) cannot keep the old checkpoint's root.
        var keys = database.Services.GetRequiredService<LedgerSigningKeys>();
        await using (var rewritten = await database.OpenAsync())
        {
            var forgedRoot = SHA256.HashData("rewritten"u8);
            var head = await rewritten.ConsentEvents.Where(e => e.Sequence == 200).Select(e => e.Hash!).SingleAsync();
            rewritten.LedgerCheckpoints.Add(LedgerCheckpoint.CreateSigned(200, head, forgedRoot, database.Clock.GetUtcNow(), CheckpointNote.Sign(CheckpointNote.Body(keys.Origin, 200, forgedRoot), keys.Origin, keys.Current), keys.CurrentPublic.KeyId));
            await rewritten.SaveChangesAsync();
        }

        var forged = await LedgerConsistency.CheckAsync(db, checkpointer.Keys, 200, 300);
        Assert.False(forged.Consistent);
        Assert.Contains("NOT consistent", forged.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ChecksSignedRootsAtRangeEndsInsideRangesAndInTheTail_AndFindsAForgedOneAnywhere(TestProvider provider)
    {
        // Two whole ranges of 4,096 (joined as subtrees) and a tail: roots at a range's end, inside a range, and at the head.
        await using var database = await WithEventsAsync(provider, 8_200);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        await using var db = await database.OpenAsync();
        using var tree = new LedgerProofs();
        Task SignAsync(long size, byte[]? forged = null) => SignCheckpointAsync(database, db, tree, size, forged);

        // The head's root holds only if both whole ranges were joined as the right subtrees; then a root inside range 2.
        foreach (var size in new long[] { 8_200, 5_000 })
        {
            await SignAsync(size);
            var intact = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);
            Assert.True(intact.Intact, intact.Reason);
        }

        // Checkpoints cannot be removed (append-only), so each forgery lands before the last one found: at a whole
        // range's end (checked after the subtree joins), inside a range, and just before a range's end.
        foreach (var forgedAt in new long[] { 8_192, 6_000, 4_096, 4_095 })
        {
            await SignAsync(forgedAt, SHA256.HashData("another history"u8));
            var report = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);
            Assert.Equal((false, forgedAt), (report.Intact, report.BrokenAt));
            Assert.Contains("checkpoint mismatch", report.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Verify_ChecksEverySignedRoot_WhenManyFallInsideOneRangeAndTheTail(TestProvider provider)
    {
        // The walk joins a range's leaves between signed roots as the fewest complete subtrees: pieces of one leaf,
        // of odd lengths, of aligned powers of two, and up to the range's end each give the root the signer computed.
        await using var database = await WithEventsAsync(provider, 4_200);
        var checkpointer = database.Services.GetRequiredService<LedgerCheckpointer>();
        await using var db = await database.OpenAsync();
        using var tree = new LedgerProofs();
        Task SignAsync(long size, byte[]? forged = null) => SignCheckpointAsync(database, db, tree, size, forged);

        foreach (var size in new long[] { 1, 2, 3, 255, 256, 257, 1_000, 2_048, 3_333, 4_095, 4_096, 4_097, 4_098, 4_150, 4_200 })
        {
            await SignAsync(size);
        }

        var intact = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);
        Assert.True(intact.Intact, intact.Reason);

        // Each forgery lands before the ones already found (one checkpoint per size): in the tail, inside the range.
        foreach (var forgedAt in new long[] { 4_099, 2_049, 4 })
        {
            await SignAsync(forgedAt, SHA256.HashData("another history"u8));
            var report = await LedgerVerifier.VerifyAsync(db, checkpointer.Keys);
            Assert.Equal((false, forgedAt), (report.Intact, report.BrokenAt));
            Assert.Contains("checkpoint mismatch", report.Reason, StringComparison.Ordinal);
        }
    }

    private static async Task<TestDatabase> WithEventsAsync(TestProvider provider, int count)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var customer = await database.CreateVerifiedCustomerAsync("+447700900131");
        await using (var db = await database.OpenAsync())
        {
            count -= await db.ConsentEvents.CountAsync();
        }

        for (var i = 0; i < count; i++)
        {
            database.Clock.Advance(TimeSpan.FromSeconds(1));
            var result = i % 2 == 0
                ? await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer))
                : await database.Consents.RevokeAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
            Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
        }

        return database;
    }

    /// <summary>Signs a checkpoint of the first <paramref name="size"/> events with the ledger's key: over their real root, or over <paramref name="forged"/>.</summary>
    private static async Task SignCheckpointAsync(TestDatabase database, Persistence.PreferenceCenterDbContext db, LedgerProofs tree, long size, byte[]? forged = null)
    {
        var keys = database.Services.GetRequiredService<LedgerSigningKeys>();
        var root = forged ?? await tree.RootAsync(db, size);
        var head = await db.ConsentEvents.Where(e => e.Sequence == size).Select(e => e.Hash).SingleAsync();
        var note = CheckpointNote.Sign(CheckpointNote.Body(keys.Origin, size, root), keys.Origin, keys.Current);
        db.LedgerCheckpoints.Add(LedgerCheckpoint.CreateSigned(size, head!, root, database.Clock.GetUtcNow(), note, keys.CurrentPublic.KeyId));
        await db.SaveChangesAsync();
    }
}
