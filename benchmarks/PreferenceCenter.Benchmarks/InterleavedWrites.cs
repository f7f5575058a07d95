using System.Diagnostics;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// The durable-write ratio measured so a busy machine cannot tilt it: rounds of raw appends and consent changes
/// alternate on the same disk, and the ratio is the median of the per-round ratios. BenchmarkDotNet runs the
/// baseline and the candidate minutes apart; a build starting in between moves its ratio by ±0.3.
/// </summary>
public static class InterleavedWrites
{
    public static async Task<int> RunAsync(int rounds = 200, int perRound = 100)
    {
        await using var app = await BenchmarkDatabase.CreateAsync("interleaved");
        var customer = await app.CreateVerifiedCustomerAsync("+447700900101");
        var evidence = BenchmarkDatabase.Evidence(customer);
        using var raw = new RawEventTable(Path.Combine(app.Folder, "raw.db"));
        var granted = false;
        var ratios = new List<double>();
        var rawMicros = new List<double>();
        var appMicros = new List<double>();
        for (var round = -5; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++)
            {
                raw.InsertOne();
            }

            var rawTime = clock.Elapsed;
            clock.Restart();
            for (var i = 0; i < perRound; i++)
            {
                granted = !granted;
                var result = granted
                    ? await app.Consents.GrantAsync(customer, Purpose.AccountAlerts, 1, evidence)
                    : await app.Consents.RevokeAsync(customer, Purpose.AccountAlerts, 1, evidence);
                if (result.Outcome != ConsentChangeOutcome.Changed)
                {
                    throw new InvalidOperationException($"Expected a change, got {result.Outcome}.");
                }
            }

            var appTime = clock.Elapsed;

            // The first rounds warm the JIT and the page cache.
            if (round >= 0)
            {
                ratios.Add(appTime / rawTime);
                rawMicros.Add(rawTime.TotalMicroseconds / perRound);
                appMicros.Add(appTime.TotalMicroseconds / perRound);
            }
        }

        Console.WriteLine($"{rounds} rounds of {perRound}: raw {Median(rawMicros):F0} µs, consent change {Median(appMicros):F0} µs per append; "
            + $"ratio median {Median(ratios):F2} (quartiles {Quantile(ratios, 0.25):F2}–{Quantile(ratios, 0.75):F2})");
        return 0;
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(q * (sorted.Count - 1))];
    }
}
