using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Numerics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using SQLitePCL;

namespace PreferenceCenter.Infrastructure.Ledger;

public sealed record LedgerReport(long Events, bool Intact, string Head, long? BrokenAt, string? Reason)
{
    public string Summary => Intact
        ? $"{Events} events, chain intact, head {Head}"
        : $"Ledger broken at sequence {BrokenAt}: {Reason} ({Events} events read)";
}

/// <summary>Re-computes the whole chain from the stored fields, in sequence order.</summary>
/// <remarks>
/// On SQLite the stored bytes go straight into <see cref="LedgerEncoding"/> (no entities, no strings): reading
/// 100,000 events through EF cost five times hashing them. Ranges of sequences are read and hashed on every core at
/// once, each on its own connection; the order-dependent checks then walk the ranges in sequence order, one event at
/// a time. On PostgreSQL one reader streams the events in sequence order from one read-only snapshot (ADR 0018).
/// </remarks>
public static class LedgerVerifier
{
    private const int RangeSize = 4_096;

    // Storage order, not the sequence index: events are only ever appended, in sequence order, under the write lock,
    // so the two orders agree, and reading the table straight through costs half of a lookup per row through the
    // index. Rows out of sequence order are what tampering leaves; the walk reports them as a gap or a duplicate.
    private const string RangeSql = """
        SELECT "EncodingVersion", "Sequence", "Id", "CustomerId", "PhoneE164", "Purpose", "Action", "OccurredAt",
            "RecordedAt", "Method", "Actor", "IpAddress", "UserAgent", "Locale", "Reason", "ConsentTextId",
            "TextSha256", "Origin", "PersonalDigest", "PreviousHash", "Hash"
        FROM "ConsentEvents"
        WHERE rowid BETWEEN $from AND $to
        ORDER BY rowid
        """;

    private const string KeyStillThereSql = """SELECT 1 FROM "CustomerLedgerKeys" WHERE "CustomerId" = $customer""";

    // Sequence order through the unique index: a deleted event is a gap, a duplicated sequence a duplicate.
    private const string PostgresSql = """
        SELECT "EncodingVersion", "Sequence", "Id", "CustomerId", "PhoneE164", "Purpose", "Action", "OccurredAt",
            "RecordedAt", "Method", "Actor", "IpAddress", "UserAgent", "Locale", "Reason", "ConsentTextId",
            "TextSha256", "Origin", "PersonalDigest", "PreviousHash", "Hash"
        FROM "ConsentEvents"
        ORDER BY "Sequence"
        """;

    /// <param name="db">The database to read.</param>
    /// <param name="checkpointKeys">The keys checkpoints were signed with (HMAC before ADR 37, published public keys since); null skips checkpoint checks.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<LedgerReport> VerifyAsync(PreferenceCenterDbContext db, CheckpointKeys? checkpointKeys = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            return await VerifyAsync(db, checkpointKeys, postgres: false, cancellationToken);
        }

        // Checkpoints, keys and events from one snapshot (so an erasure in between cannot look like tampering), in a
        // transaction begun on the connection, not through EF: a read-only check takes no write lock and blocks no one.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var snapshot = await db.Database.GetDbConnection().BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await db.Database.UseTransactionAsync(snapshot, cancellationToken);
            try
            {
                return await VerifyAsync(db, checkpointKeys, postgres: true, cancellationToken);
            }
            finally
            {
                await db.Database.UseTransactionAsync(null, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<LedgerReport> VerifyAsync(PreferenceCenterDbContext db, CheckpointKeys? checkpointKeys, bool postgres, CancellationToken cancellationToken)
    {
        var checkpoints = checkpointKeys is null ? [] : await db.LedgerCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
        foreach (var checkpoint in checkpoints)
        {
            if (CheckpointProblem(checkpoint, checkpointKeys!) is { } problem)
            {
                return new LedgerReport(0, false, LedgerEncoding.Genesis, checkpoint.Sequence, problem);
            }
        }

        var signedHeads = checkpoints.GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.Select(c => c.Hash).ToList());
        var signedRoots = checkpoints.Where(c => c.RootHash is not null).GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.Select(c => c.RootHash!).ToList());
        var chain = new ChainWalk(signedHeads, signedRoots);
        var keys = await db.CustomerLedgerKeys.AsNoTracking().ToDictionaryAsync(k => k.CustomerId, k => k.Key, cancellationToken);
        var digests = new VerifiedDigests();
        if (postgres)
        {
            if (await WalkPostgresAsync(db, chain, keys, digests, cancellationToken) is { } broken)
            {
                return broken;
            }
        }
        else if (await WalkSqliteAsync(db, chain, keys, digests, cancellationToken) is { } broken)
        {
            return broken;
        }

        if (checkpoints.Count > 0 && checkpoints[^1].Sequence > chain.Count)
        {
            return new LedgerReport(chain.Count, false, chain.Head, chain.Count + 1, $"truncated: a checkpoint signed sequence {checkpoints[^1].Sequence} but the log ends at {chain.Count}");
        }

        return new LedgerReport(chain.Count, true, chain.Head, null, null);
    }

    /// <summary>Why a stored checkpoint does not hold by itself (its signature, or its note against its columns); null when it does.</summary>
    private static string? CheckpointProblem(LedgerCheckpoint checkpoint, CheckpointKeys keys)
    {
        if (checkpoint.Note is null)
        {
            return checkpoint.HasValidSignature(keys.Hmac) ? null : "checkpoint signature invalid";
        }

        if (CheckpointNote.Verify(checkpoint.Note, keys.Public, out var problem) is not { } note)
        {
            return $"checkpoint signature invalid: {problem}";
        }

        return note.TreeSize == checkpoint.Sequence && Convert.ToHexStringLower(note.RootHash) == checkpoint.RootHash
            ? null
            : "checkpoint mismatch: the signed note does not say what the row says";
    }

    private static async Task<LedgerReport?> WalkSqliteAsync(PreferenceCenterDbContext db, ChainWalk chain, Dictionary<Guid, byte[]> keys, VerifiedDigests digests, CancellationToken cancellationToken)
    {
        var databasePath = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var rowids = await db.Database.SqlQueryRaw<long?>("""SELECT MIN(rowid) AS "Value" FROM "ConsentEvents" UNION ALL SELECT MAX(rowid) FROM "ConsentEvents" """).ToListAsync(cancellationToken);
        if (rowids is [{ } first, { } last])
        {
            using var readers = new RangeReaders(databasePath);
            var inFlight = new Queue<Task<CheckedRange>>();
            try
            {
                for (var from = first; from <= last; from += RangeSize)
                {
                    if (inFlight.Count == Environment.ProcessorCount && readers.Walked(chain, await inFlight.Dequeue()) is { } broken)
                    {
                        return broken;
                    }

                    var (start, end) = (from, Math.Min(last, from + RangeSize - 1));
                    inFlight.Enqueue(Task.Run(() => readers.CheckRange(start, end, keys, digests, cancellationToken), cancellationToken));
                }

                readers.AllHandedOut();

                while (inFlight.Count > 0)
                {
                    if (readers.Walked(chain, await inFlight.Dequeue()) is { } broken)
                    {
                        return broken;
                    }
                }
            }
            finally
            {
                // Leaving early (a break, an error, cancellation) still waits for the ranges being read.
                while (inFlight.Count > 0)
                {
                    await ((Task)inFlight.Dequeue()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }

        return null;
    }

    /// <summary>The events in sequence order through one reader, checked a range at a time as they stream in.</summary>
    private static async Task<LedgerReport?> WalkPostgresAsync(PreferenceCenterDbContext db, ChainWalk chain, Dictionary<Guid, byte[]> keys, VerifiedDigests digests, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = PostgresSql;
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        var range = new CheckedRange(RangeSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            AddPostgresRow(reader, range, keys, digests);
            if (range.Count == RangeSize)
            {
                range.HashTree();
                if (chain.Walk(range) is { } broken)
                {
                    return broken;
                }

                range = new CheckedRange(RangeSize);
            }
        }

        if (range.Count == 0)
        {
            return null;
        }

        range.HashTree();
        return chain.Walk(range);
    }

    private static void AddPostgresRow(DbDataReader r, CheckedRange range, Dictionary<Guid, byte[]> keys, VerifiedDigests digests)
    {
        static Utf8Field Text(DbDataReader r, int i) => r.IsDBNull(i) ? Utf8Field.Null : Utf8Field.Of(r.GetString(i));
        static Utf8Field Id(DbDataReader r, int i) => r.IsDBNull(i) ? Utf8Field.Null : Utf8Field.Of(r.GetGuid(i).ToString("D"));

        // SequentialAccess: columns are read once each, in order.
        var row = new LedgerRow
        {
            EncodingVersion = r.GetInt32(0),
            Sequence = r.GetInt64(1),
            Id = Id(r, 2),
            CustomerId = Id(r, 3),
            PhoneE164 = Text(r, 4),
            Purpose = Text(r, 5),
            Action = Text(r, 6),
            OccurredAtUtcTicks = r.GetFieldValue<DateTimeOffset>(7).UtcTicks,
            RecordedAtUtcTicks = r.GetFieldValue<DateTimeOffset>(8).UtcTicks,
            Method = Text(r, 9),
            Actor = Text(r, 10),
            IpAddress = Text(r, 11),
            UserAgent = Text(r, 12),
            Locale = Text(r, 13),
            Reason = Text(r, 14),
            ConsentTextId = r.GetInt32(15),
            TextSha256 = Text(r, 16),
            Origin = Text(r, 17),
            PersonalDigest = Text(r, 18),
            PreviousHash = Text(r, 19),
        };
        var hash = Text(r, 20);

        // The keys come from the same snapshot: a customer without a key was erased, and erasure blanks the fields.
        var personalOk = true;
        if (!row.PersonalDigest.IsNull && Utf8Parser.TryParse(row.CustomerId.Bytes, out Guid customer, out _) && keys.TryGetValue(customer, out var key))
        {
            personalOk = digests.Match(customer, key, ref row);
        }

        range.Add(ref row, hash, personalOk);
    }

    /// <summary>
    /// Private read-only handles without SQLite's per-call mutex, one per range being read, each with its statement
    /// compiled once and rebound per range; and the ranges' buffers, reused once walked. Opening a handle, compiling
    /// the statement and allocating a range's arrays for every 4,096 events was a measurable share of the work.
    /// </summary>
    private sealed class RangeReaders(string databasePath) : IDisposable
    {
        private readonly ConcurrentBag<(sqlite3 Handle, sqlite3_stmt Statement)> _idle = [];
        private readonly ConcurrentBag<CheckedRange> _ranges = [];
        private volatile bool _allHandedOut;

        /// <summary>The per-event cryptography of one range of sequences, independent of the events around it.</summary>
        public CheckedRange CheckRange(long from, long to, Dictionary<Guid, byte[]> keys, VerifiedDigests digests, CancellationToken cancellationToken)
        {
            var reader = _idle.TryTake(out var idle) ? idle : Open();
            try
            {
                var range = _ranges.TryTake(out var reused) ? reused : new CheckedRange(RangeSize);
                range.Clear();
                Read(reader.Handle, reader.Statement, from, to, range, keys, digests, cancellationToken);
                range.HashTree();
                return range;
            }
            finally
            {
                if (_allHandedOut)
                {
                    Close(reader);
                }
                else
                {
                    _idle.Add(reader);
                }
            }
        }

        /// <summary>
        /// Every range has been handed out: a handle done with its range is closed there and then, on its own core while
        /// the last ranges are read, rather than all of them one after another at the end (unmapping costs milliseconds).
        /// </summary>
        public void AllHandedOut() => _allHandedOut = true;

        /// <summary>Walks a checked range, then keeps its buffers for the next one.</summary>
        public LedgerReport? Walked(ChainWalk chain, CheckedRange range)
        {
            var broken = chain.Walk(range);
            _ranges.Add(range);
            return broken;
        }

        public void Dispose()
        {
            while (_idle.TryTake(out var reader))
            {
                Close(reader);
            }
        }

        private static void Close((sqlite3 Handle, sqlite3_stmt Statement) reader)
        {
            reader.Statement.Dispose();
            reader.Handle.Dispose();
        }

        private (sqlite3 Handle, sqlite3_stmt Statement) Open()
        {
            Check(raw.sqlite3_open_v2(databasePath, out var handle, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null), null);
            try
            {
                // Pages mapped rather than copied in by a read() each: every page is read once, straight through.
                Check(raw.sqlite3_exec(handle, "PRAGMA mmap_size = 1073741824"), handle);
                Check(raw.sqlite3_prepare_v2(handle, RangeSql, out var statement), handle);
                return (handle, statement);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static void Read(sqlite3 handle, sqlite3_stmt statement, long from, long to, CheckedRange range, Dictionary<Guid, byte[]> keys, VerifiedDigests digests, CancellationToken cancellationToken)
        {
            Check(raw.sqlite3_reset(statement), handle);
            Check(raw.sqlite3_bind_int64(statement, 1, from), handle);
            Check(raw.sqlite3_bind_int64(statement, 2, to), handle);
            var s = NativeColumns.Of(statement);
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = new LedgerRow
                {
                    EncodingVersion = NativeColumns.Int64(s, 0),
                    Sequence = NativeColumns.Int64(s, 1),
                    Id = NativeColumns.Text(s, 2),
                    CustomerId = NativeColumns.Text(s, 3),
                    PhoneE164 = NativeColumns.Text(s, 4),
                    Purpose = NativeColumns.Text(s, 5),
                    Action = NativeColumns.Text(s, 6),
                    OccurredAtUtcTicks = NativeColumns.Int64(s, 7),
                    RecordedAtUtcTicks = NativeColumns.Int64(s, 8),
                    Method = NativeColumns.Text(s, 9),
                    Actor = NativeColumns.Text(s, 10),
                    IpAddress = NativeColumns.Text(s, 11),
                    UserAgent = NativeColumns.Text(s, 12),
                    Locale = NativeColumns.Text(s, 13),
                    Reason = NativeColumns.Text(s, 14),
                    ConsentTextId = NativeColumns.Int64(s, 15),
                    TextSha256 = NativeColumns.Text(s, 16),
                    Origin = NativeColumns.Text(s, 17),
                    PersonalDigest = NativeColumns.Text(s, 18),
                    PreviousHash = NativeColumns.Text(s, 19),
                };
                var hash = NativeColumns.Text(s, 20);

                // Personal fields are checked against the digest while the customer's key exists (it is gone after erasure).
                var personalOk = true;
                if (!row.PersonalDigest.IsNull && Utf8Parser.TryParse(row.CustomerId.Bytes, out Guid customer, out _) && keys.TryGetValue(customer, out var key))
                {
                    // A mismatch on a customer erased since the keys were read is no mismatch: the key went with the fields.
                    personalOk = digests.Match(customer, key, ref row) || !KeyStillThere(handle, row.CustomerId.Bytes);
                }

                range.Add(ref row, hash, personalOk);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, handle);
            }
        }
    }

    private static bool KeyStillThere(sqlite3 handle, ReadOnlySpan<byte> customerId)
    {
        Check(raw.sqlite3_prepare_v2(handle, KeyStillThereSql, out var statement), handle);
        using (statement)
        {
            Check(raw.sqlite3_bind_text(statement, 1, customerId), handle);
            return raw.sqlite3_step(statement) == raw.SQLITE_ROW;
        }
    }

    private static void Check(int rc, sqlite3? handle)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, handle);
        }
    }

    /// <summary>
    /// Personal digests already checked, the last per customer. An HMAC of the same bytes under the same key is the
    /// same digest, so a customer's repeated evidence (same number, same browser) is hashed once. Shared by the ranges.
    /// </summary>
    private sealed class VerifiedDigests
    {
        private readonly ConcurrentDictionary<Guid, (byte[] Text, byte[] Digest)> _last = [];

        public bool Match(Guid customer, byte[] key, ref LedgerRow row)
        {
            var text = LedgerEncoding.PersonalText(ref row);
            var digest = row.PersonalDigest.Bytes;
            if (_last.TryGetValue(customer, out var seen) && text.SequenceEqual(seen.Text) && digest.SequenceEqual(seen.Digest))
            {
                return true;
            }

            // Copied before the HMAC, which reuses the buffer the text is in.
            var checkedText = text.ToArray();
            if (!LedgerEncoding.PersonalDigestMatches(key, ref row, digest))
            {
                return false;
            }

            _last[customer] = (checkedText, digest.ToArray());
            return true;
        }
    }

    /// <summary>What the walk needs of each event in a range: its sequence, the checks, and its stored hashes.</summary>
    private sealed class CheckedRange(int capacity)
    {
        private const int HexLength = 64;
        private const int LeafLength = 32;

        private long[] _sequences = new long[capacity];
        private Flags[] _flags = new Flags[capacity];
        private byte[] _previous = new byte[capacity * HexLength];
        private byte[] _hashes = new byte[capacity * HexLength];
        private byte[] _raw = new byte[capacity * LeafLength];
        private byte[] _leaves = new byte[capacity * LeafLength];
        private byte[] _nodes = [];
        private readonly int[] _levels = new int[32];

        [Flags]
        private enum Flags : byte
        {
            None = 0,
            Sealed = 1,
            PersonalOk = 2,
            HashOk = 4,
        }

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        /// <summary>
        /// Hashes the range's Merkle leaves and every complete subtree inside the range (level k: one node per 2^k
        /// leaves from the range's start), on the thread that checked the range (every core at once), so the ordered
        /// walk only joins them. A level at a time, many hashes per call (ADR 39).
        /// </summary>
        public void HashTree()
        {
            MerkleTree.LeafHashes(_raw.AsSpan(0, Count * LeafLength), _leaves.AsSpan(0, Count * LeafLength));

            // Level k > 0 at _levels[k] in one buffer: n/2 nodes, then n/4, … (fewer than n in all).
            if (_nodes.Length < Count * LeafLength)
            {
                _nodes = new byte[Count * LeafLength];
            }

            ReadOnlySpan<byte> level = _leaves.AsSpan(0, Count * LeafLength);
            var offset = 0;
            for (var k = 1; Count >> k > 0; k++)
            {
                var parents = _nodes.AsSpan(offset, (Count >> k) * LeafLength);
                MerkleTree.NodeHashes(level[..(2 * parents.Length)], parents);
                _levels[k] = offset;
                offset += parents.Length;
                level = parents;
            }
        }

        /// <summary>The root of the complete subtree over the range's leaves <c>[index·2^level, (index+1)·2^level)</c>.</summary>
        public ReadOnlySpan<byte> Subtree(int level, int index) => level == 0
            ? _leaves.AsSpan(index * LeafLength, LeafLength)
            : _nodes.AsSpan(_levels[level] + (index * LeafLength), LeafLength);

        public void Add(ref LedgerRow row, Utf8Field hash, bool personalOk)
        {
            if (Count == _sequences.Length)
            {
                // Only with duplicate sequences (the unique index dropped): more rows than the range has numbers.
                Array.Resize(ref _sequences, Count * 2);
                Array.Resize(ref _flags, Count * 2);
                Array.Resize(ref _previous, Count * 2 * HexLength);
                Array.Resize(ref _hashes, Count * 2 * HexLength);
                Array.Resize(ref _raw, Count * 2 * LeafLength);
                Array.Resize(ref _leaves, Count * 2 * LeafLength);
            }

            var i = Count++;
            _sequences[i] = row.Sequence;
            _flags[i] = Flags.None;
            var raw = _raw.AsSpan(i * LeafLength, LeafLength);

            // Buffers are reused: an event that cannot be a leaf must not keep what an earlier range left here.
            raw.Clear();
            if (hash.IsNull || row.PersonalDigest.IsNull || row.PreviousHash.IsNull)
            {
                return;
            }

            var hashOk = LedgerEncoding.HashMatches(ref row, hash.Bytes);
            _flags[i] = Flags.Sealed | (personalOk ? Flags.PersonalOk : Flags.None) | (hashOk ? Flags.HashOk : Flags.None);
            Keep(_previous, i, row.PreviousHash.Bytes);
            Keep(_hashes, i, hash.Bytes);
            if (hash.Bytes.Length == HexLength)
            {
                MerkleFrontier.LeafInput(hash.Bytes, raw);
            }
        }

        public long Sequence(int i) => _sequences[i];

        public bool Sealed(int i) => _flags[i].HasFlag(Flags.Sealed);

        public bool PersonalOk(int i) => _flags[i].HasFlag(Flags.PersonalOk);

        public bool HashOk(int i) => _flags[i].HasFlag(Flags.HashOk);

        public ReadOnlySpan<byte> Previous(int i) => _previous.AsSpan(i * HexLength, HexLength);

        public ReadOnlySpan<byte> Hash(int i) => _hashes.AsSpan(i * HexLength, HexLength);

        // A stored hash that is not 64 characters cannot match anything; it is kept as zero bytes, which no hex has.
        private static void Keep(byte[] into, int i, ReadOnlySpan<byte> hex)
        {
            var slot = into.AsSpan(i * HexLength, HexLength);
            if (hex.Length == HexLength)
            {
                hex.CopyTo(slot);
            }
            else
            {
                // Buffers are reused: what an earlier range left here must not pass for this event's hash.
                slot.Clear();
            }
        }
    }

    /// <summary>The order-dependent checks, event by event; the first failure is the report.</summary>
    private sealed class ChainWalk(Dictionary<long, List<string>> signedHeads, Dictionary<long, List<string>> signedRoots)
    {
        private byte[] _previous = Encoding.ASCII.GetBytes(LedgerEncoding.Genesis);

        // The Merkle tree (RFC 9162) grows with the walk, so each signed root is checked against the events as stored
        // without a second read of the ledger.
        private readonly MerkleFrontier _tree = new();

        public long Count { get; private set; }

        public string Head => Encoding.ASCII.GetString(_previous);

        public LedgerReport? Walk(CheckedRange range)
        {
            // The range's leaves join the tree in pieces that end where a signed root is checked, and at the range's end.
            var joined = 0;
            for (var i = 0; i < range.Count; i++)
            {
                Count++;
                var expectedSequence = Count;
                var sequence = range.Sequence(i);
                if (sequence != expectedSequence)
                {
                    return Broken(expectedSequence, sequence < expectedSequence ? "duplicate sequence" : $"gap (next stored event is {sequence})");
                }

                if (!range.Sealed(i))
                {
                    return Broken(sequence, "event is not sealed");
                }

                if (!range.Previous(i).SequenceEqual(_previous))
                {
                    return Broken(sequence, "previous-hash mismatch (events removed, inserted or reordered)");
                }

                if (!range.PersonalOk(i))
                {
                    return Broken(sequence, "personal fields do not match their digest");
                }

                if (!range.HashOk(i))
                {
                    return Broken(sequence, "hash mismatch (a field was changed)");
                }

                if (signedHeads.TryGetValue(sequence, out var signed) && signed.Any(h => !range.Hash(i).SequenceEqual(Encoding.ASCII.GetBytes(h))))
                {
                    return Broken(sequence, "checkpoint mismatch (the signed head differs)");
                }

                range.Hash(i).CopyTo(_previous);
                if (signedRoots.ContainsKey(sequence))
                {
                    Join(range, joined, i + 1);
                    joined = i + 1;
                    if (CheckRoot(sequence) is { } mismatch)
                    {
                        return mismatch;
                    }
                }
            }

            Join(range, joined, range.Count);
            return null;
        }

        /// <summary>
        /// Appends the range's leaves <c>[from, to)</c> as the fewest complete subtrees the range has already hashed:
        /// each the largest that starts at a multiple of its size both in the tree and in the range, and fits.
        /// </summary>
        private void Join(CheckedRange range, int from, int to)
        {
            while (from < to)
            {
                var level = Math.Min(Math.Min(BitOperations.TrailingZeroCount(_tree.Size), BitOperations.TrailingZeroCount(from)), BitOperations.Log2((uint)(to - from)));
                _tree.AppendSubtree(range.Subtree(level, from >> level), 1 << level);
                from += 1 << level;
            }
        }

        private LedgerReport? CheckRoot(long size) =>
            signedRoots.TryGetValue(size, out var roots) && roots.Any(r => r != _tree.RootHex())
                ? Broken(size, $"checkpoint mismatch: the signed Merkle root of {size} events is not the root of the stored events")
                : null;

        private LedgerReport Broken(long at, string reason) => new(Count, false, Head, at, reason);
    }

    /// <summary>
    /// The right edge of a Merkle tree appended leaf by leaf: the roots of its complete subtrees, largest first. Appending
    /// merges as many as the new size has trailing zero bits; the root folds them right to left (RFC 9162 §2.1.1).
    /// </summary>
    private sealed class MerkleFrontier
    {
        private const int HashSize = MerkleTree.HashSize;

        // One complete subtree per set bit of the size: at most 63 for a long.
        private readonly byte[] _subtrees = new byte[64 * HashSize];
        private int _count;
        private long _size;

        public long Size => _size;

        /// <summary>The leaf input of an event whose hash is <paramref name="hashHex"/> (64 ASCII hex digits): its 32 bytes.</summary>
        public static void LeafInput(ReadOnlySpan<byte> hashHex, Span<byte> raw)
        {
            if (Convert.FromHexString(hashHex, raw, out _, out var written) != OperationStatus.Done || written != raw.Length)
            {
                throw new FormatException("An event hash is not hexadecimal.");
            }
        }

        /// <summary>Appends a complete subtree of <paramref name="count"/> leaves (a power of two) at a multiple of its size.</summary>
        public void AppendSubtree(ReadOnlySpan<byte> root, int count)
        {
            _size += count;
            var node = Slot(_count++);
            root.CopyTo(node);
            for (var size = _size / count; (size & 1) == 0; size >>= 1)
            {
                var left = Slot(_count - 2);
                MerkleTree.NodeHash(left, node, left);
                node = left;
                _count--;
            }
        }

        public string RootHex()
        {
            Span<byte> root = stackalloc byte[HashSize];
            Slot(_count - 1).CopyTo(root);
            for (var i = _count - 2; i >= 0; i--)
            {
                MerkleTree.NodeHash(Slot(i), root, root);
            }

            return Convert.ToHexStringLower(root);
        }

        private Span<byte> Slot(int i) => _subtrees.AsSpan(i * HashSize, HashSize);
    }
}
