using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.LoadTest;

// The load and memory tool (README, Performance; ADR 20). One run, three measurements, one markdown report.
var options = Options.Parse(args);
var root = Options.RepositoryRoot();
var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
var webDll = Path.Combine(root, "src", "PreferenceCenter.Web", "bin", configuration, "net10.0", "PreferenceCenter.Web.dll");
var bareDll = Path.Combine(root, "benchmarks", "BareBlazor", "bin", configuration, "net10.0", "BareBlazor.dll");
var report = new StringBuilder();
var loadBefore = Machine.LoadAverage();
report.AppendLine(CultureInfo.InvariantCulture, $"Load test {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {configuration} build. {Machine.Describe()}");
report.AppendLine();

if (options.Runs("memory"))
{
    Console.WriteLine($"Memory per idle circuit: {options.MemoryCircuits} circuits after {Options.WarmCircuits} warm ones...");
    var app = await Scenarios.PreferencesMemoryAsync(webDll, options);
    var bare = await Scenarios.BareCounterMemoryAsync(bareDll, options);
    report.AppendLine("| idle circuits (after warm-up) | page | server memory per circuit (RSS after full GC) | ratio | goal |");
    report.AppendLine("|---|---|---|---|---|");
    report.AppendLine(CultureInfo.InvariantCulture, $"| {options.MemoryCircuits} | bare `dotnet new blazor` Counter (`/counter`) | {bare / 1024.0:0} KB | 1.00 | |");
    report.AppendLine(CultureInfo.InvariantCulture, $"| {options.MemoryCircuits} | PreferenceCenter `/preferences`, signed in, number verified | {app / 1024.0:0} KB | {(double)app / bare:0.00} | ≤ 1.5 |");
    report.AppendLine();
}

if (options.Runs("capacity"))
{
    Console.WriteLine($"Live circuits at p95 ≤ 100 ms, steps {string.Join(", ", options.CapacitySteps)}...");
    var rows = await Scenarios.CapacityAsync(webDll, options);
    report.AppendLine(CultureInfo.InvariantCulture, $"| live circuits | toggles (each circuit every {options.IntervalSeconds} s, {options.WindowSeconds} s window) | click→render p50 | p95 | p99 | max | failed | p95 ≤ 100 ms? |");
    report.AppendLine("|---|---|---|---|---|---|---|---|");
    foreach (var row in rows)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"| {row.Circuits} | {row.Toggles} ({row.Toggles / (double)options.WindowSeconds:0}/s) | {row.P50:0} ms | {row.P95:0} ms | {row.P99:0} ms | {row.Max:0} ms | {row.Failed} | {(row.P95 <= 100 && row.Failed == 0 ? "yes" : "**no**")} |");
    }

    report.AppendLine();
}

if (options.Runs("ledger"))
{
    report.AppendLine("| provider | writers | consent events appended | throughput | append p95 |");
    report.AppendLine("|---|---|---|---|---|");
    foreach (var provider in options.LedgerProviders)
    {
        Console.WriteLine($"Ledger write throughput on {provider}: {options.LedgerWriters} writers for {options.LedgerSeconds} s...");
        var (events, seconds, p95) = await Scenarios.LedgerThroughputAsync(options, provider);
        report.AppendLine(CultureInfo.InvariantCulture, $"| {provider} | {options.LedgerWriters} | {events} in {seconds:0.0} s | {events / seconds:0} events/s | {p95:0.0} ms |");
    }

    report.AppendLine();
}

report.AppendLine(CultureInfo.InvariantCulture, $"Load average (1/5/15 min) before: {loadBefore}; after: {Machine.LoadAverage()}.");
var output = Path.GetFullPath(options.Output ?? Path.Combine(root, "artifacts", "load-test.md"));
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine($"Written to {output}");
return 0;

internal sealed record CapacityRow(int Circuits, int Toggles, double P50, double P95, double P99, double Max, int Failed);

internal static class Scenarios
{
    private const int PromotionsBox = 1;

    /// <summary>Workstation, non-concurrent GC for both apps while memory is read, so the heap is not sized for throughput.</summary>
    private static readonly Dictionary<string, string?> QuietGc = new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" };

    public static async Task<long> PreferencesMemoryAsync(string webDll, Options options)
    {
        var total = Options.WarmCircuits + options.MemoryCircuits;
        using var data = new TempFolder("memory");
        var settings = CustomerSite.Settings(data.Path, "Sqlite", null);
        await using (var site = await CustomerSite.OpenAsync(settings))
        {
            await CustomerSite.SeedAsync(site, 0, total);
        }

        await using var server = await ServerProcess.StartAsync(webDll, Environment(settings, QuietGc), "/health/ready");
        var signedIn = await ParallelAsync(total, i => CustomerSite.SignInAsync(server.BaseUrl, i, CancellationToken.None));
        var page = new Uri(server.BaseUrl + "/preferences");
        return await PerCircuitAsync(server, options.MemoryCircuits, i => BlazorCircuitClient.StartAsync(page, signedIn[i].Cookies, signedIn[i].Http, waitForCheckboxes: true, CancellationToken.None));
    }

    public static async Task<long> BareCounterMemoryAsync(string bareDll, Options options)
    {
        await using var server = await ServerProcess.StartAsync(bareDll, QuietGc, "/");
        var page = new Uri(server.BaseUrl + "/counter");
        return await PerCircuitAsync(server, options.MemoryCircuits, _ =>
        {
            var cookies = new CookieContainer();
            return BlazorCircuitClient.StartAsync(page, cookies, new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }), waitForCheckboxes: false, CancellationToken.None);
        });
    }

    /// <summary>Opens warm-up circuits, reads memory, opens <paramref name="count"/> more, reads again: the difference per circuit.</summary>
    private static async Task<long> PerCircuitAsync(ServerProcess server, int count, Func<int, Task<BlazorCircuitClient>> open)
    {
        var circuits = new List<BlazorCircuitClient>();
        try
        {
            circuits.AddRange(await ParallelAsync(Options.WarmCircuits, open));
            var before = await server.SettledResidentBytesAsync();
            circuits.AddRange(await ParallelAsync(count, i => open(Options.WarmCircuits + i)));
            var after = await server.SettledResidentBytesAsync();
            return (after - before) / count;
        }
        finally
        {
            await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    public static async Task<List<CapacityRow>> CapacityAsync(string webDll, Options options)
    {
        var max = options.CapacitySteps.Max();
        using var data = new TempFolder("capacity");
        var settings = CustomerSite.Settings(data.Path, "Sqlite", null);
        await using (var site = await CustomerSite.OpenAsync(settings))
        {
            await CustomerSite.SeedAsync(site, 0, max);
        }

        await using var server = await ServerProcess.StartAsync(webDll, Environment(settings, []), "/health/ready");
        var page = new Uri(server.BaseUrl + "/preferences");
        var circuits = new List<BlazorCircuitClient>();
        var rows = new List<CapacityRow>();
        try
        {
            foreach (var step in options.CapacitySteps.Order())
            {
                var from = circuits.Count;
                Console.WriteLine($"  signing in and opening circuits {from + 1}..{step}");
                circuits.AddRange(await ParallelAsync(step - from, async i =>
                {
                    var (http, cookies) = await CustomerSite.SignInAsync(server.BaseUrl, from + i, CancellationToken.None);
                    return await BlazorCircuitClient.StartAsync(page, cookies, http, waitForCheckboxes: true, CancellationToken.None);
                }));
                var row = await ToggleWindowAsync(circuits, options);
                rows.Add(row);
                Console.WriteLine($"  {row.Circuits} circuits: p50 {row.P50:0} ms, p95 {row.P95:0} ms, failed {row.Failed}");
                if (row.P95 > 100 || row.Failed > 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await Task.WhenAll(circuits.Select(c => c.DisposeAsync().AsTask()));
        }

        return rows;
    }

    /// <summary>Every circuit ticks or unticks Promotions every interval (± 20 %), starting at a random moment.</summary>
    private static async Task<CapacityRow> ToggleWindowAsync(List<BlazorCircuitClient> circuits, Options options)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        var interval = TimeSpan.FromSeconds(options.IntervalSeconds);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(circuits.Select(async (circuit, n) =>
        {
            var random = new Random(n);
            await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * interval.TotalMilliseconds));
            while (Stopwatch.GetElapsedTime(started) < window)
            {
                // The box as last rendered in full, then as this client last changed it (updates arrive as diffs).
                var check = !(circuit.PromotionsChecked ??= circuit.Checkboxes[PromotionsBox].Checked);
                try
                {
                    var took = await circuit.ToggleAsync(PromotionsBox, check, $"Saved: Promotions {(check ? "on" : "off")}.", CancellationToken.None);
                    circuit.PromotionsChecked = check;
                    latencies.Add(took.TotalMilliseconds);
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(interval * (0.8 + (0.4 * random.NextDouble())));
            }
        }));
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new CapacityRow(circuits.Count, sorted.Length, At(0.50), At(0.95), At(0.99), sorted.LastOrDefault(), failed);
    }

    /// <summary>Concurrent writers grant and revoke through <see cref="IConsentService"/>, the web page's own path.</summary>
    public static async Task<(int Events, double Seconds, double P95)> LedgerThroughputAsync(Options options, string provider)
    {
        using var data = new TempFolder("ledger");
        // SQLite: a file in the temp folder; PostgreSQL: a database of its own on the given server, dropped afterwards.
        await using var postgres = provider == "Postgres" ? await PreferenceCenter.Testing.PostgresScratchDatabase.CreateAsync(options.PostgresConnection!, "pc_load") : null;
        var settings = CustomerSite.Settings(data.Path, provider, postgres?.ConnectionString);
        await using var site = await CustomerSite.OpenAsync(settings);
        var customersPerWriter = 8;
        await CustomerSite.SeedAsync(site, 0, options.LedgerWriters * customersPerWriter);
        var directory = site.GetRequiredService<ICustomerDirectory>();
        var consents = site.GetRequiredService<IConsentService>();
        var texts = await consents.GetCurrentTextsAsync("en");
        var promotions = texts.Single(t => t.Purpose == Purpose.Promotions).Id;
        var ids = new List<Guid>();
        await using (var db = await site.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PreferenceCenter.Infrastructure.Persistence.PreferenceCenterDbContext>>().CreateDbContextAsync())
        {
            ids.AddRange(db.Customers.Select(c => c.Id).ToList());
        }

        var latencies = new ConcurrentBag<double>();
        var events = 0;
        var window = TimeSpan.FromSeconds(options.LedgerSeconds);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.LedgerWriters).Select(w => Task.Run(async () =>
        {
            var mine = ids.Skip(w * customersPerWriter).Take(customersPerWriter).ToArray();
            for (var n = 0; Stopwatch.GetElapsedTime(started) < window; n++)
            {
                var customer = mine[n % mine.Length];
                var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customer}", "198.51.100.7", "LoadTest/1.0", "en-GB");
                var begun = Stopwatch.GetTimestamp();
                var result = (n / mine.Length) % 2 == 0
                    ? await consents.GrantAsync(customer, Purpose.Promotions, promotions, evidence)
                    : await consents.RevokeAsync(customer, Purpose.Promotions, promotions, evidence);
                latencies.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                if (result.Event is not null)
                {
                    Interlocked.Increment(ref events);
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var sorted = latencies.Order().ToArray();
        _ = directory;
        return (events, seconds, sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1]);
    }

    private static Dictionary<string, string?> Environment(Dictionary<string, string?> settings, Dictionary<string, string?> extra)
    {
        var environment = settings.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value);
        foreach (var (k, v) in extra)
        {
            environment[k] = v;
        }

        return environment;
    }

    /// <summary>Runs <paramref name="count"/> starts, eight at a time (what the two cores take without queuing sign-ins for long).</summary>
    private static async Task<List<T>> ParallelAsync<T>(int count, Func<int, Task<T>> start)
    {
        var results = new T[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => results[i] = await start(i));
        return [.. results];
    }
}

internal sealed class Options
{
    public const int WarmCircuits = 20;

    public int MemoryCircuits { get; private set; } = 200;

    public IReadOnlyList<int> CapacitySteps { get; private set; } = [100, 250, 500, 1000];

    public int WindowSeconds { get; private set; } = 30;

    public int IntervalSeconds { get; private set; } = 5;

    public int LedgerWriters { get; private set; } = 4;

    public int LedgerSeconds { get; private set; } = 10;

    /// <summary>SQLite always; PostgreSQL too when a server is given (or the test script's throwaway cluster is running).</summary>
    public IReadOnlyList<string> LedgerProviders => PostgresConnection is null ? ["Sqlite"] : ["Sqlite", "Postgres"];

    /// <summary>An Npgsql connection string of a user that may create databases; each run makes and drops its own.</summary>
    public string? PostgresConnection { get; private set; } = System.Environment.GetEnvironmentVariable("PREFERENCECENTER_TEST_POSTGRES") is { Length: > 0 } c ? c : null;

    public string? Output { get; private set; }

    private string? Only { get; set; }

    public bool Runs(string part) => Only is null || Only.Split(',').Contains(part, StringComparer.OrdinalIgnoreCase);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--memory-circuits": o.MemoryCircuits = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--capacity": o.CapacitySteps = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--window": o.WindowSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--interval": o.IntervalSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--ledger-writers": o.LedgerWriters = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--ledger-seconds": o.LedgerSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--postgres": o.PostgresConnection = value; break;
                case "--out": o.Output = value; break;
                case "--only": o.Only = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return o;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PreferenceCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }
}

internal static class Machine
{
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() : null;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : null;
        return $"{System.Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory} RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; client and server share the machine.";
    }
}

internal sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "preferencecenter-load", purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in temp: harmless.
        }
    }
}
