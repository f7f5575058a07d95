using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.DurabilityProbe;

/// <summary>
/// The child process of the crash-durability test. It sets up customers with verified numbers, prints <c>ready</c>,
/// then makes a burst of consent changes through <see cref="IConsentService"/> and prints, after each call returns
/// (its transaction committed), <c>ack &lt;sequence&gt; &lt;customerId&gt; &lt;purpose&gt; &lt;action&gt; &lt;hash&gt;</c>;
/// <c>done</c> when the burst is complete. Errors go to stderr with exit code 1.
/// Usage: <c>dotnet PreferenceCenter.DurabilityProbe.dll &lt;data folder&gt; [writes=5000] [workers=4]</c>.
/// </summary>
internal static partial class Program
{
    public const string DatabaseFile = "preferencecenter.db";

    // Two customers per worker, numbered from +447700900100 (fictional UK range, ADR 3) and well inside the
    // per-prefix send cap of the verification service.
    private const int CustomersPerWorker = 2;
    private const int MaxWorkers = 8;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length is < 1 or > 3
            || !TryCount(args, 1, 5000, int.MaxValue, out var writes)
            || !TryCount(args, 2, 4, MaxWorkers, out var workers))
        {
            await Console.Error.WriteLineAsync($"usage: PreferenceCenter.DurabilityProbe <data folder> [writes=5000] [workers=4, at most {MaxWorkers}]");
            return 2;
        }

        try
        {
            await RunAsync(Path.GetFullPath(args[0]), writes, workers);
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync(ex.ToString());
            return 1;
        }
    }

    private static async Task RunAsync(string dataFolder, int writes, int workers)
    {
        // The same settings TempDataFolder gives the app, and no logging provider: stdout carries only the protocol.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = dataFolder,
            ["ConnectionStrings:PreferenceCenter"] = $"Data Source={Path.Combine(dataFolder, DatabaseFile)}",
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddPreferenceCenterInfrastructure(configuration)
            .BuildServiceProvider(validateScopes: true);
        await services.MigrateDatabaseAsync();

        var consents = services.GetRequiredService<IConsentService>();
        var texts = (await consents.GetCurrentTextsAsync("en")).ToDictionary(t => t.Purpose, t => t.Id);
        var customers = new List<Guid>();
        for (var i = 0; i < workers * CustomersPerWorker; i++)
        {
            customers.Add(await CreateVerifiedCustomerAsync(services, string.Create(CultureInfo.InvariantCulture, $"+4477009001{i:00}")));
        }

        // SQLite waits for the write lock on the calling thread; without spare pool threads the workers would
        // start one by one as the pool grows.
        ThreadPool.GetMinThreads(out var minWorkerThreads, out var minIoThreads);
        ThreadPool.SetMinThreads(Math.Max(minWorkerThreads, workers + 2), minIoThreads);

        using var output = new ProtocolWriter(Console.OpenStandardOutput());
        output.Line("ready");
        var budget = new WriteBudget(writes);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w =>
            Task.Run(() => ToggleAsync(consents, customers.GetRange(w * CustomersPerWorker, CustomersPerWorker), texts, budget, output))));
        output.Line("done");
    }

    /// <summary>
    /// Flips each of its own customers' purposes in turn, so every call is a real change; the workers still race for
    /// the one write lock and the chain head.
    /// </summary>
    private static async Task ToggleAsync(IConsentService consents, IReadOnlyList<Guid> customers, Dictionary<Purpose, int> texts, WriteBudget budget, ProtocolWriter output)
    {
        var slots = customers.SelectMany(c => PurposeCatalog.Default.All.Select(p => (Customer: c, Purpose: p))).ToArray();
        var granted = new bool[slots.Length];
        for (var i = 0; budget.TryTake(); i = (i + 1) % slots.Length)
        {
            var (customer, purpose) = slots[i];
            var result = granted[i]
                ? await consents.RevokeAsync(customer, purpose, texts[purpose], Evidence(customer))
                : await consents.GrantAsync(customer, purpose, texts[purpose], Evidence(customer));
            var e = result.Event ?? throw new InvalidOperationException($"{purpose} of {customer}: expected a change, got {result.Outcome}.");
            granted[i] = !granted[i];

            // The call returned, so its transaction committed: only now may the write count as acknowledged.
            output.Line(string.Create(CultureInfo.InvariantCulture, $"ack {e.Sequence} {e.CustomerId} {e.Purpose} {e.Action} {e.Hash}"));
        }
    }

    private static async Task<Guid> CreateVerifiedCustomerAsync(IServiceProvider services, string e164)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        var user = new ApplicationUser { UserName = $"{Guid.NewGuid():N}@example.test" };
        user.Email = user.UserName;
        user.NormalizedEmail = user.UserName.ToUpperInvariant();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        var customerId = await services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);

        // Verified the way a person does it: the code goes to the development outbox and is read back from there.
        var verification = services.GetRequiredService<IPhoneVerificationService>();
        var sent = await verification.SendCodeAsync(customerId, PhoneNumber.FromE164(e164));
        if (!sent.Sent)
        {
            throw new InvalidOperationException($"No code sent to {e164}: {sent.Decision.Refusal}.");
        }

        var body = await db.SmsOutbox.Where(m => m.ToE164 == e164).OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        var verified = await verification.VerifyAsync(customerId, SixDigits().Match(body).Value, Evidence(customerId));
        return verified.Outcome == VerifyOutcome.Verified
            ? customerId
            : throw new InvalidOperationException($"Verifying {e164} failed: {verified.Outcome}.");
    }

    private static ConsentEvidence Evidence(Guid customerId) =>
        new(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.7", "DurabilityProbe/1.0", "en-GB");

    private static bool TryCount(string[] args, int index, int fallback, int max, out int value)
    {
        value = fallback;
        return args.Length <= index
            || (int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    /// <summary>Writes to claim before they start, so the workers together make exactly the asked number.</summary>
    private sealed class WriteBudget(int writes)
    {
        private int _left = writes;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
    }

    /// <summary>
    /// Whole lines, each flushed to the pipe in one write before the worker goes on, so a kill never leaves half a
    /// line and no acknowledgement sits in a buffer.
    /// </summary>
    private sealed class ProtocolWriter(Stream stdout) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly StreamWriter _writer = new(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };

        public void Line(string line)
        {
            lock (_gate)
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
        }

        public void Dispose() => _writer.Dispose();
    }
}
