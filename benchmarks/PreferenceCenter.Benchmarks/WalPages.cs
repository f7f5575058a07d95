using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// Counts, not times, what one durable consent change writes: the WAL frames (one per page) each grant and revoke
/// appends, read from the WAL's frame headers, and the b-trees those pages belong to (SQLite's <c>dbstat</c>).
/// Noise-free, so it says whether a schema change saved pages before a timed run says whether it saved time.
/// </summary>
public static class WalPages
{
    public static async Task<int> RunAsync(int changes = 400)
    {
        await using var app = await BenchmarkDatabase.CreateAsync("wal-pages");
        var customer = await app.CreateVerifiedCustomerAsync("+447700900101");
        var evidence = BenchmarkDatabase.Evidence(customer);
        var frames = new Dictionary<ConsentAction, List<int>> { [ConsentAction.Granted] = [], [ConsentAction.Revoked] = [] };
        var pages = new Dictionary<ConsentAction, List<uint>> { [ConsentAction.Granted] = [], [ConsentAction.Revoked] = [] };
        for (var i = 0; i < changes; i++)
        {
            var action = i % 2 == 0 ? ConsentAction.Granted : ConsentAction.Revoked;
            var before = WalLog.Read(app.DatabasePath);
            var result = action == ConsentAction.Granted
                ? await app.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, evidence)
                : await app.Consents.RevokeAsync(customer, Purpose.AccountAlerts, 1, evidence);
            if (result.Outcome != ConsentChangeOutcome.Changed)
            {
                throw new InvalidOperationException($"Expected a change, got {result.Outcome}.");
            }

            // A checkpoint restarted the WAL in between: this change's frames cannot be told apart, so it is not counted.
            if (WalLog.Read(app.DatabasePath).Since(before) is { } written)
            {
                frames[action].Add(written.Count);
                pages[action].AddRange(written);
            }
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
            var before = WalLog.Read(path);
            raw.InsertOne();
            if (WalLog.Read(path).Since(before) is { } written)
            {
                counts.Add(written.Count);
            }
        }

        return Task.FromResult(counts.Average());
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
