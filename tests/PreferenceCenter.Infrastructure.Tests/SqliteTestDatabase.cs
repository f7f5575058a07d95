using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Support;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>A real SQLite file in its own temp folder, migrated exactly as the app does at start-up.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly TempDataFolder _data;
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsData;

    private SqliteTestDatabase(TempDataFolder data, Dictionary<string, string?> settings, bool ownsData, ServiceProvider services, FakeTimeProvider clock, CapturingLoggerProvider logs)
    {
        _data = data;
        _settings = settings;
        _ownsData = ownsData;
        _services = services;
        Clock = clock;
        Logs = logs;
    }

    public FakeTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public string DatabasePath => _data.DatabasePath;

    public IServiceProvider Services => _services;

    public IConsentService Consents => _services.GetRequiredService<IConsentService>();

    public IPhoneVerificationService Verification => _services.GetRequiredService<IPhoneVerificationService>();

    public ISupportConsole Support => _services.GetRequiredService<ISupportConsole>();

    public static async Task<SqliteTestDatabase> CreateAsync(Dictionary<string, string?>? settings = null)
    {
        var data = new TempDataFolder("infrastructure");
        var values = data.Settings;
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }

        return await StartAsync(data, values, ownsData: true);
    }

    /// <summary>
    /// Another instance of the app on the same database and data folder (so the same generated secrets): its own
    /// services, connections, appender, dispatcher and clock, as a second process behind a load balancer would have.
    /// </summary>
    public Task<SqliteTestDatabase> StartSecondInstanceAsync() => StartAsync(_data, _settings, ownsData: false);

    private static async Task<SqliteTestDatabase> StartAsync(TempDataFolder data, Dictionary<string, string?> values, bool ownsData)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(clock)
            .AddPreferenceCenterInfrastructure(configuration)
            .BuildServiceProvider(validateScopes: true);
        await services.MigrateDatabaseAsync();
        return new SqliteTestDatabase(data, values, ownsData, services, clock, logs);
    }

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

    public static ConsentEvidence Evidence(Guid customerId) =>
        new(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.7", "TestBrowser/1.0", "en-GB");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_ownsData)
        {
            _data.Dispose();
        }
    }
}

/// <summary>Keeps every formatted log line so tests can check what the app writes about people.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
