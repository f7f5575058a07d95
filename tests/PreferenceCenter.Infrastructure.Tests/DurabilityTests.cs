using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Every write the user saw confirmed survives a crash (ADR 0008).</summary>
public sealed class DurabilityTests
{
    private const string ProbeAssembly = "PreferenceCenter.DurabilityProbe.dll";
    private const int BurstWrites = 5000;
    private const int KillAfterAcks = 2000;
    private const int Workers = 4;

    [Fact]
    public async Task Connection_SyncsEveryCommitToDisk_WhenOpenedFromThePool()
    {
        await using var database = await TestDatabase.CreateAsync();

        // Pooled connections come back as their last user left them, so the setting has to be applied on every open.
        await using (var lowered = await database.OpenAsync())
        {
            await lowered.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF; PRAGMA busy_timeout=0;");
        }

        await using var db = await database.OpenAsync();
        await db.Database.OpenConnectionAsync();
        Assert.Equal(2, Assert.Single(await db.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync())); // 2 = FULL
        Assert.Equal(5000, Assert.Single(await db.Database.SqlQueryRaw<long>("PRAGMA busy_timeout").ToListAsync()));
    }

    [Fact]
    public async Task ConsentLog_KeepsEveryAcknowledgedWrite_WhenProcessIsKilledDuringBurst()
    {
        using var data = new TempDataFolder("durability");
        using var hangGuard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        hangGuard.CancelAfter(TimeSpan.FromMinutes(5)); // only so a hung probe fails the run; nothing here is timed
        var cancellationToken = hangGuard.Token;

        var burst = await KillDuringBurstAsync(data.Path, cancellationToken);
        Assert.True(burst.RunningWhenKilled, $"The probe had exited before the kill.\n{burst.Errors}");
        Assert.False(burst.Finished, "The probe finished its burst before the kill.");
        Assert.InRange(burst.Acks.Count, KillAfterAcks, BurstWrites - 1);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(128 + 9, burst.ExitCode); // ended by SIGKILL
        }

        // Restart: a fresh provider over the same folder, migrated as app start-up does (SQLite recovers the WAL here).
        var settings = new ConfigurationBuilder().AddInMemoryCollection(data.Settings).Build();
        await using var restarted = new ServiceCollection().AddLogging().AddPreferenceCenterInfrastructure(settings).BuildServiceProvider(validateScopes: true);
        await restarted.MigrateDatabaseAsync(cancellationToken);
        await using var db = await restarted.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(cancellationToken);
        Assert.Equal("ok", Assert.Single(await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync(cancellationToken)));

        var events = await db.ConsentEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"{burst.Acks.Count} writes acknowledged by the kill, {events.Count} events after the restart");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));

        // Writes in flight at the kill may or may not be there; every acknowledged one must be, exactly as acknowledged.
        Assert.Equal(burst.Acks.Count, burst.Acks.DistinctBy(a => a.Sequence).Count());
        Assert.True(events.Count >= burst.Acks.Count, $"{events.Count} events stored, {burst.Acks.Count} acknowledged");
        var stored = events.ToDictionary(e => e.Sequence, Ack.Of);
        var lostOrChanged = burst.Acks.Where(a => !stored.TryGetValue(a.Sequence, out var s) || s != a).ToList();
        Assert.Empty(lostOrChanged);

        var replayed = ConsentState.Replay(events).Values.Select(Row).Order();
        var projected = (await db.ConsentStates.AsNoTracking().ToListAsync(cancellationToken)).Select(Row).Order();
        Assert.Equal(replayed, projected);

        // What 'ledger verify' runs, with the checkpoint key the app signs with.
        var report = await LedgerVerifier.VerifyAsync(db, restarted.GetRequiredService<LedgerCheckpointer>().Keys, cancellationToken);
        Assert.True(report.Intact, report.Summary);
        Assert.Equal(events.Count, report.Events);
        Assert.Equal(events[^1].Hash, report.Head);
    }

    /// <summary>
    /// Runs the probe and kills it (SIGKILL on Unix) as the acknowledgement that reaches the threshold is read. The
    /// probe cannot run ahead: once the pipe buffer is full its next acknowledgement blocks, so at the kill it is
    /// at most a pipe's worth of lines past the threshold and far from the end of its burst.
    /// </summary>
    private static async Task<BurstResult> KillDuringBurstAsync(string dataFolder, CancellationToken cancellationToken)
    {
        var probePath = Path.Combine(AppContext.BaseDirectory, ProbeAssembly);
        Assert.True(File.Exists(Path.ChangeExtension(probePath, ".runtimeconfig.json")), $"The probe is not built next to the tests ({probePath}).");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { probePath, dataFolder, BurstWrites.ToString(CultureInfo.InvariantCulture), Workers.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        using var probe = Process.Start(start) ?? throw new InvalidOperationException("Could not start the durability probe.");
        try
        {
            var errors = probe.StandardError.ReadToEndAsync(cancellationToken);
            var first = await probe.StandardOutput.ReadLineAsync(cancellationToken);
            if (first != "ready")
            {
                await probe.WaitForExitAsync(cancellationToken);
                Assert.Fail($"The probe did not get ready (exit {probe.ExitCode}): {first}\n{await errors}");
            }

            var acks = new List<Ack>();
            var runningWhenKilled = false;
            var finished = false;

            // Lines already in the pipe when the probe dies are read too: they were acknowledged before the kill.
            while (await probe.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line == "done")
                {
                    finished = true;
                    continue;
                }

                acks.Add(Ack.Parse(line));
                if (acks.Count == KillAfterAcks)
                {
                    runningWhenKilled = !probe.HasExited;
                    probe.Kill(entireProcessTree: true);
                }
            }

            await probe.WaitForExitAsync(cancellationToken);
            return new BurstResult(acks, runningWhenKilled, finished, probe.ExitCode, await errors);
        }
        finally
        {
            if (!probe.HasExited)
            {
                probe.Kill(entireProcessTree: true);
            }
        }
    }

    private static (Guid CustomerId, Purpose Purpose, bool Granted, string PhoneE164, int ConsentTextId, Guid LastEventId, long LastSequence, DateTimeOffset ChangedAt) Row(ConsentState s) =>
        (s.CustomerId, s.Purpose, s.Granted, s.PhoneE164, s.ConsentTextId, s.LastEventId, s.LastSequence, s.ChangedAt);

    private sealed record BurstResult(IReadOnlyList<Ack> Acks, bool RunningWhenKilled, bool Finished, int ExitCode, string Errors);

    /// <summary>One <c>ack &lt;sequence&gt; &lt;customerId&gt; &lt;purpose&gt; &lt;action&gt; &lt;hash&gt;</c> line of the probe.</summary>
    private sealed record Ack(long Sequence, Guid CustomerId, Purpose Purpose, ConsentAction Action, string? Hash)
    {
        public static Ack Parse(string line)
        {
            var f = line.Split(' ');
            Assert.True(f is ["ack", _, _, _, _, _], $"Not an acknowledgement: '{line}'");
            return new Ack(
                long.Parse(f[1], CultureInfo.InvariantCulture),
                Guid.Parse(f[2], CultureInfo.InvariantCulture),
                Purpose.FromKey(f[3]),
                Enum.Parse<ConsentAction>(f[4]),
                f[5]);
        }

        public static Ack Of(ConsentEvent e) => new(e.Sequence, e.CustomerId, e.Purpose, e.Action, e.Hash);
    }
}
