using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
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

namespace PreferenceCenter.Benchmarks;

/// <summary>
/// The app's own services on a real SQLite file in a temp folder, migrated as at start-up: the benchmarks measure
/// the code the app runs, not a copy of it.
/// </summary>
public sealed partial class BenchmarkDatabase : IAsyncDisposable
{
    private const string DatabaseFile = "preferencecenter.db";

    private readonly ServiceProvider _services;

    private BenchmarkDatabase(string folder, ServiceProvider services)
    {
        Folder = folder;
        _services = services;
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, DatabaseFile);

    public IServiceProvider Services => _services;

    public IConsentService Consents => _services.GetRequiredService<IConsentService>();

    public IDbContextFactory<PreferenceCenterDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>();

    public static async Task<BenchmarkDatabase> CreateAsync(string name)
    {
        // The temp folder: it must be on a real disk (not tmpfs) for a commit to pay the fsync the app pays.
        var folder = Path.Combine(Path.GetTempPath(), "preferencecenter-benchmarks", name, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = folder,
            ["ConnectionStrings:PreferenceCenter"] = $"Data Source={Path.Combine(folder, DatabaseFile)}",
        }).Build();

        // Logging without a provider: the benchmarks measure the database work, not a console sink.
        var services = new ServiceCollection().AddLogging().AddPreferenceCenterInfrastructure(configuration).BuildServiceProvider();
        await services.MigrateDatabaseAsync();
        var database = new BenchmarkDatabase(folder, services);
        await database.RequireBaselinePragmasAsync();
        return database;
    }

    public static ConsentEvidence Evidence(Guid customerId) =>
        new(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) BenchmarkBrowser/1.0", "en-GB", Origin: "https://prefs.example.test");

    /// <summary>A signed-up customer with a verified number, through the same code-by-SMS flow a person uses.</summary>
    public async Task<Guid> CreateVerifiedCustomerAsync(string e164)
    {
        Guid customerId;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            var user = new ApplicationUser { UserName = $"{Guid.NewGuid():N}@example.test" };
            user.Email = user.UserName;
            user.NormalizedEmail = user.UserName.ToUpperInvariant();
            db.Users.Add(user);
            await db.SaveChangesAsync();
            customerId = await _services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
        }

        var verification = _services.GetRequiredService<IPhoneVerificationService>();
        var sent = await verification.SendCodeAsync(customerId, PhoneNumber.FromE164(e164));
        if (!sent.Sent)
        {
            throw new InvalidOperationException($"Code not sent: {sent.Decision.Refusal}");
        }

        string body;
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            body = await db.SmsOutbox.Where(m => m.ToE164 == e164).OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        }

        var verified = await verification.VerifyAsync(customerId, SixDigits().Match(body).Value, Evidence(customerId));
        return verified.Outcome == VerifyOutcome.Verified ? customerId : throw new InvalidOperationException($"Not verified: {verified.Outcome}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>
    /// The raw baseline runs with <see cref="RawEventTable.Pragmas"/>; a comparison against laxer app settings would
    /// flatter the app, so the app's own connections must report the same.
    /// </summary>
    private async Task RequireBaselinePragmasAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var actual = (Journal: await PragmaAsync(db, "journal_mode"), Synchronous: await PragmaAsync(db, "synchronous"), SecureDelete: await PragmaAsync(db, "secure_delete"));
        if (actual != ("wal", "2", "1"))
        {
            throw new InvalidOperationException($"The app's connections run with {actual}; the raw baseline uses (wal, 2 = FULL, 1 = secure_delete on).");
        }
    }

    private static async Task<string?> PragmaAsync(PreferenceCenterDbContext db, string name)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
