using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>The two database providers the app runs on.</summary>
public enum TestProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Theory data: the test runs once on SQLite and once on PostgreSQL.</summary>
public sealed class BothProviders : TheoryData<TestProvider>
{
    public BothProviders()
        : base(TestProvider.Sqlite, TestProvider.Postgres)
    {
    }
}

/// <summary>
/// A real database migrated exactly as the app does at start-up: a SQLite file in its own temp folder, or a fresh
/// database on the test run's PostgreSQL cluster (<see cref="PostgresTestCluster"/>).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly TempDataFolder _data;

    private readonly PostgresScratchDatabase? _postgres;

    private readonly IConfiguration _configuration;

    // A second instance shares the first one's data folder and database; the first one removes them.
    private readonly bool _ownsStorage;

    private TestDatabase(TempDataFolder data, PostgresScratchDatabase? postgres, IConfiguration configuration, bool ownsStorage, ServiceProvider services, FakeTimeProvider clock, CapturingLoggerProvider logs)
    {
        _data = data;
        _configuration = configuration;
        _ownsStorage = ownsStorage;
        _postgres = postgres;
        _services = services;
        Clock = clock;
        Logs = logs;
    }

    public TestProvider Provider => _postgres is null ? TestProvider.Sqlite : TestProvider.Postgres;

    /// <summary>The app's connection string (SQLite's names the file, PostgreSQL's this test's database).</summary>
    public string ConnectionString => _postgres?.ConnectionString ?? $"Data Source={_data.DatabasePath}";

    public FakeTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public string DatabasePath => _data.DatabasePath;

    public IServiceProvider Services => _services;

    public IConsentService Consents => _services.GetRequiredService<IConsentService>();

    public IPhoneVerificationService Verification => _services.GetRequiredService<IPhoneVerificationService>();

    public IStaffConsole StaffConsole => _services.GetRequiredService<IStaffConsole>();

    /// <summary>The queued-text dispatcher; tests run its rounds themselves (no hosted loop here).</summary>
    public Messaging.TextDispatcher Texts => _services.GetRequiredService<Messaging.TextDispatcher>();

    /// <summary>Runs dispatcher rounds until nothing due is left.</summary>
    public async Task SendQueuedTextsAsync()
    {
        while (await Texts.RunOnceAsync())
        {
        }
    }

    /// <summary>This instance's process dies: its services (connections, appender, dispatcher) go; the database and data folder stay.</summary>
    public ValueTask CrashAsync() => _services.DisposeAsync();

    /// <summary>A webhook dispatcher on this instance whose bodies carry only the sequence (the web app shapes real ones).</summary>
    public Webhooks.WebhookDispatcher WebhookDispatcher() =>
        ActivatorUtilities.CreateInstance<Webhooks.WebhookDispatcher>(_services, new SequenceOnlyPayloads());

    public static Task<TestDatabase> CreateAsync(Dictionary<string, string?>? settings = null) => CreateAsync(TestProvider.Sqlite, settings);

    public static async Task<TestDatabase> CreateAsync(TestProvider provider, Dictionary<string, string?>? settings = null)
    {
        var postgres = provider == TestProvider.Postgres ? await PostgresTestCluster.CreateDatabaseAsync() : null;
        var data = new TempDataFolder("infrastructure");
        var values = data.Settings;
        values["Webhooks:AllowPrivateNetworks"] = "true"; // test receivers listen on 127.0.0.1
        if (postgres is not null)
        {
            values["Database:Provider"] = "Postgres";
            values["ConnectionStrings:PreferenceCenter"] = postgres.ConnectionString;
        }

        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var services = BuildServices(configuration, clock, logs);
        await services.MigrateDatabaseAsync();
        return new TestDatabase(data, postgres, configuration, ownsStorage: true, services, clock, logs);
    }

    /// <summary>
    /// Another instance of the app on the same database and data folder (so the same generated secrets): its own
    /// services, connections, appender, dispatcher and clock, as a second process behind a load balancer would have.
    /// <paramref name="differentSettings"/> override the first instance's configuration (e.g. other secrets).
    /// </summary>
    public async Task<TestDatabase> StartSecondInstanceAsync(Dictionary<string, string?>? differentSettings = null)
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        var logs = new CapturingLoggerProvider();
        var configuration = differentSettings is null ? _configuration : new ConfigurationBuilder().AddConfiguration(_configuration).AddInMemoryCollection(differentSettings).Build();
        var services = BuildServices(configuration, clock, logs);
        try
        {
            await services.MigrateDatabaseAsync();
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }

        return new TestDatabase(_data, _postgres, configuration, ownsStorage: false, services, clock, logs);
    }

    private static ServiceProvider BuildServices(IConfiguration configuration, FakeTimeProvider clock, CapturingLoggerProvider logs) =>
        new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(clock)
            .AddPreferenceCenterInfrastructure(configuration)
            .BuildServiceProvider(validateScopes: true);

    public async Task<PreferenceCenterDbContext> OpenAsync() =>
        await _services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    /// <summary>A signed-up customer, as the web page would create one.</summary>
    public async Task<Guid> CreateCustomerAsync(string? email = null)
    {
        await using (var db = await OpenAsync())
        {
            var user = new ApplicationUser { UserName = email ?? $"{Guid.NewGuid():N}@example.test" };
            user.NormalizedEmail = user.UserName.ToUpperInvariant();
            user.Email = user.UserName;
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return await _services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
        }
    }

    /// <summary>Sends a code and reads it back from the development outbox, as a person reads their phone.</summary>
    public async Task<string> SendCodeAndReadItAsync(Guid customerId, string e164)
    {
        var sent = await Verification.SendCodeAsync(customerId, PhoneNumber.FromE164(e164));
        Assert.True(sent.Sent, sent.Decision.Refusal.ToString());
        return await LatestCodeToAsync(e164);
    }

    public async Task<string> LatestCodeToAsync(string e164)
    {
        await using var db = await OpenAsync();
        var body = await db.SmsOutbox.Where(m => m.ToE164 == e164).OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        return System.Text.RegularExpressions.Regex.Match(body, @"\b\d{6}\b").Value;
    }

    /// <summary>A customer with a verified number, ready to consent.</summary>
    public async Task<Guid> CreateVerifiedCustomerAsync(string e164 = "+447700900123", string? email = null)
    {
        var customerId = await CreateCustomerAsync(email);
        var code = await SendCodeAndReadItAsync(customerId, e164);
        var result = await Verification.VerifyAsync(customerId, code, Evidence(customerId));
        Assert.Equal(VerifyOutcome.Verified, result.Outcome);
        return customerId;
    }

    /// <summary>What an attacker with full access to the database does first: switch a table's append-only triggers off.</summary>
    public async Task DisableAppendOnlyTriggersAsync(PreferenceCenterDbContext db, string table = "ConsentEvents")
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlRawAsync(Provider == TestProvider.Postgres
            ? $"ALTER TABLE \"{table}\" DISABLE TRIGGER USER"
            : $"DROP TRIGGER \"TR_{table}_NoUpdate\"; DROP TRIGGER \"TR_{table}_NoDelete\";");
    }

    /// <summary>A table that refuses every insert from now on, as a full disk or a broken replica would.</summary>
    public async Task FailInsertsAsync(PreferenceCenterDbContext db, string table)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlRawAsync(Provider == TestProvider.Postgres
            ? $$"""
                CREATE FUNCTION "{{table}}_down"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{{table}} unavailable'; END; $$;
                CREATE TRIGGER "{{table}}_down" BEFORE INSERT ON "{{table}}" FOR EACH ROW EXECUTE FUNCTION "{{table}}_down"();
                """
            : $"CREATE TRIGGER \"{table}_down\" BEFORE INSERT ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} unavailable'); END;");
    }

    public static ConsentEvidence Evidence(Guid customerId) =>
        new(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.7", "TestBrowser/1.0", "en-GB");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (!_ownsStorage)
        {
            return;
        }

        _data.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}

/// <summary>Webhook bodies for infrastructure tests: <c>{"sequence":N}</c>.</summary>
internal sealed class SequenceOnlyPayloads : Webhooks.IWebhookPayloadWriter
{
    public byte[] Write(ConsentEvent consentEvent) => System.Text.Encoding.UTF8.GetBytes($"{{\"sequence\":{consentEvent.Sequence}}}");
}
