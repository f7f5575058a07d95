using System.Buffers.Binary;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// Counts, not times, what one durable consent change writes: the WAL frames (one per page) each grant and revoke
/// appends, read from the WAL's frame headers, and the b-trees those pages belong to (SQLite's <c>dbstat</c>).
/// Noise-free, so it says whether a schema change saved pages before a timed run says whether it saved time.
/// </summary>
public static class WalPages
{
    private const int PageSize = 4096;
    private const int FrameSize = PageSize + 24;
    private const int WalHeader = 32;

    public static async Task<int> RunAsync(int changes = 400)
    {
        await using var app = await BenchmarkDatabase.CreateAsync("wal-pages");
        var customer = await app.CreateVerifiedCustomerAsync("+447700900101");
        var evidence = BenchmarkDatabase.Evidence(customer);
        var wal = app.DatabasePath + "-wal";
        var frames = new Dictionary<ConsentAction, List<int>> { [ConsentAction.Granted] = [], [ConsentAction.Revoked] = [] };
        var pages = new Dictionary<ConsentAction, List<uint>> { [ConsentAction.Granted] = [], [ConsentAction.Revoked] = [] };
        for (var i = 0; i < changes; i++)
        {
            var action = i % 2 == 0 ? ConsentAction.Granted : ConsentAction.Revoked;
            var before = Read(wal);
            var result = action == ConsentAction.Granted
                ? await app.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, evidence)
                : await app.Consents.RevokeAsync(customer, Purpose.AccountAlerts, 1, evidence);
            if (result.Outcome != ConsentChangeOutcome.Changed)
            {
                throw new InvalidOperationException($"Expected a change, got {result.Outcome}.");
            }

            var after = Read(wal);

            // A checkpoint restarted the WAL in between: this change's frames cannot be told apart, so it is not counted.
            if (after.Salt != before.Salt || after.Pages.Count < before.Pages.Count)
            {
                continue;
            }

            frames[action].Add(after.Pages.Count - before.Pages.Count);
            pages[action].AddRange(after.Pages.Skip(before.Pages.Count));
        }

        var names = await PageOwnersAsync(app.DatabasePath);
        Console.WriteLine($"Baseline (RawEventTable): {await BaselineAsync(app.Folder, changes):F2} pages per commit");
        foreach (var (action, counts) in frames)
        {
            Console.WriteLine($"{action}: {counts.Average():F2} pages per commit (min {counts.Min()}, max {counts.Max()}, {counts.Count} commits)");
            foreach (var owner in pages[action].GroupBy(p => names.GetValueOrDefault(p, "(free or new)")).OrderByDescending(g => g.Count()))
            {
                Console.WriteLine($"  {owner.Key,-45} {(double)owner.Count() / counts.Count:F2}");
            }
        }

        return 0;
    }

    private static Task<double> BaselineAsync(string folder, int changes)
    {
        var path = Path.Combine(folder, "raw.db");
        using var raw = new RawEventTable(path);
        var counts = new List<int>();
        for (var i = 0; i < changes; i++)
        {
            var before = Read(path + "-wal");
            raw.InsertOne();
            var after = Read(path + "-wal");
            if (after.Salt == before.Salt && after.Pages.Count >= before.Pages.Count)
            {
                counts.Add(after.Pages.Count - before.Pages.Count);
            }
        }

        return Task.FromResult(counts.Average());
    }

    private static (ulong Salt, List<uint> Pages) Read(string wal)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        var salt = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(16));
        var pages = new List<uint>();
        for (var offset = WalHeader; offset + FrameSize <= bytes.Length; offset += FrameSize)
        {
            // Frames of an earlier WAL generation carry its salt: the current log ends at the first of them.
            if (BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(offset + 8)) != salt)
            {
                break;
            }

            pages.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset)));
        }

        return (salt, pages);
    }

    /// <summary>Which b-tree each page belongs to, from the system's <c>sqlite3</c> (the bundled SQLite has no dbstat).</summary>
    private static async Task<Dictionary<uint, string>> PageOwnersAsync(string databasePath)
    {
        var owners = new Dictionary<uint, string>();
        try
        {
            using var sqlite3 = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sqlite3", ["-readonly", databasePath, "SELECT pageno || ' ' || name FROM dbstat"]) { RedirectStandardOutput = true })!;
            var output = await sqlite3.StandardOutput.ReadToEndAsync();
            await sqlite3.WaitForExitAsync();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ', 2);
                owners[uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)] = parts[1];
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No sqlite3 on the PATH: the counts still stand, without owners.
        }

        return owners;
    }
}
