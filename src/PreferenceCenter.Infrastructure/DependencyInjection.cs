using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Customers;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Staff;
using PreferenceCenter.Infrastructure.Verification;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "PreferenceCenter";
    public const string SqliteMigrationsAssembly = "PreferenceCenter.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "PreferenceCenter.Migrations.Postgres";

    /// <summary>
    /// Everything the app's core needs, one feature a line (ADR 36). The host adds what runs in the background
    /// (hosted services) and its own features on top.
    /// </summary>
    public static IServiceCollection AddPreferenceCenterInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services
            .AddPersistence(configuration)
            .AddLanguages(configuration)
            .AddPurposes()
            .AddKeys(configuration)
            .AddVerification(configuration)
            .AddEmbedding(configuration)
            .AddIntegrations(configuration)
            .AddWebhooks(configuration)
            .AddCustomers()
            .AddMessaging(configuration)
            .AddObservability()
            .AddOptIns(configuration)
            .AddLedger(configuration)
            .AddConsents(configuration)
            .AddSignIn(configuration)
            .AddStaffConsole();
    }

    /// <summary>The Identity schema the migrations were made with (v3: passkeys). Runtime and design time must agree.</summary>
    public static IServiceCollection AddPreferenceCenterIdentityStoreOptions(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);

    /// <summary>
    /// Storage and database options (validated at start-up), the clock, and the database: components get short-lived
    /// contexts from the factory; Identity's stores get a scoped one from the same options.
    /// </summary>
    private static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => !o.IsPostgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)), $"ConnectionStrings:{ConnectionStringName} must be set to an Npgsql connection string when Database:Provider is 'Postgres'.")
            .ValidateOnStart();

        // Added before anything that takes a clock; tests that register their own clock first keep it.
        services.TryAddSingleton(TimeProvider.System);
        services.AddPreferenceCenterIdentityStoreOptions();

        // The provider is chosen once, from Database:Provider (validated on first use, which is the start-up migration).
        // Pooled: a page re-reads a few queries after every change, and building a fresh context (its services, its
        // options lookup) cost more CPU than the queries themselves under load (README, Performance).
        services.AddPooledDbContextFactory<PreferenceCenterDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UsePreferenceCenterDatabase(database, ConnectionString(configuration, database, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        });
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>English and Spanish (ADR 17): the default language, and resource files beside the class that uses them (Messaging/SmsTexts.resx), in every project.</summary>
    private static IServiceCollection AddLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Localization.LanguageOptions>().Bind(configuration.GetSection(Localization.LanguageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddLocalization();
        return services;
    }

    /// <summary>The purposes, as data (ADR 31).</summary>
    private static IServiceCollection AddPurposes(this IServiceCollection services) =>
        services.AddSingleton<Purposes.PurposeRegistry>();

    /// <summary>
    /// The secrets: the key store, the phone index's keyed hashes, and Data Protection (auth cookies, antiforgery tokens,
    /// embed and webhook secrets) with its key ring in the database, so every instance on that database reads and
    /// writes one ring (ADR 19).
    /// </summary>
    private static IServiceCollection AddKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new KeyStore(configuration, sp.GetRequiredService<IOptions<StorageOptions>>()));
        services.AddSingleton<PhoneIndex>();

        var certificate = KeyRingCertificate.Load(configuration);
        services.AddSingleton(certificate);
        var dataProtection = services.AddDataProtection().SetApplicationName(SharedDataProtection.ApplicationName).PersistKeysToDbContext<PreferenceCenterDbContext>();
        if (certificate.Certificate is { } cert)
        {
            // New keys are written encrypted to this certificate, and read back with it (keys written before stay readable).
            dataProtection.ProtectKeysWithCertificate(cert);
        }

        return services;
    }

    /// <summary>Phone verification: the codes, and the service that sends and checks them.</summary>
    private static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<PhoneVerificationService>();
        services.AddSingleton<IPhoneVerificationService>(sp => sp.GetRequiredService<PhoneVerificationService>());
        return services;
    }

    /// <summary>The sites allowed to embed the preference page.</summary>
    private static IServiceCollection AddEmbedding(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Embedding.EmbedOptions>().Bind(configuration.GetSection(Embedding.EmbedOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Embedding.EmbedSites>();
        return services;
    }

    /// <summary>The API's integration keys.</summary>
    private static IServiceCollection AddIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Integrations.IntegrationKeyOptions>().Bind(configuration.GetSection(Integrations.IntegrationKeyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Integrations.IntegrationKeys>();
        return services;
    }

    /// <summary>Subscribers, the sync status and the dispatcher; the host adds the payload writer and runs the dispatcher.</summary>
    private static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSubscribers>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookSync>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookLagGauge>();

        // Retries are scheduled in the database (they span a day and survive restarts), so the client has no retry
        // handler; the timeout is per attempt, in the dispatcher. Redirects are failures: the registered URL is the one signed for.
        // The connection is made by ReceiverConnector, which checks the address it connects to (SSRF, ADR 25); no
        // proxy, since a proxy would resolve the name itself, past that check.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("PreferenceCenter-Webhooks/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = ReceiverConnector.Create(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks),
            });
        return services;
    }

    /// <summary>Finding customers, and erasing them.</summary>
    private static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddSingleton<ICustomerErasure, CustomerErasure>();
        services.AddSingleton<ICustomerDirectory, CustomerDirectory>();
        return services;
    }

    /// <summary>
    /// Text messages: the sender (Twilio when <c>Sms:Provider</c> says so, else the outbox), the gateway, inbound
    /// replies, the queue of texts sent with consent changes (ADR 30) and the review desk.
    /// </summary>
    private static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SmsTexts>();
        if (string.Equals(configuration["Sms:Provider"], "Twilio", StringComparison.OrdinalIgnoreCase))
        {
            services.AddTwilioSms(configuration);
        }
        else
        {
            services.AddSingleton<ISmsSender, OutboxSmsSender>();
        }

        services.AddSingleton<ISmsGateway, SmsGateway>();
        services.AddSingleton<InboundSmsService>();
        services.AddOptions<TextQueueOptions>().Bind(configuration.GetSection(TextQueueOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TextQueueSignal>();
        services.AddSingleton<TextDispatcher>();
        services.AddSingleton<ReviewDesk>();
        return services;
    }

    /// <summary>The app's meter (<see cref="Observability.PreferenceCenterMetrics"/>); the host decides where it is exported.</summary>
    private static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<Observability.PreferenceCenterMetrics>();
        return services;
    }

    /// <summary>Opt-in requests: a keyword opens one, a reply confirms it.</summary>
    private static IServiceCollection AddOptIns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OptIns.OptInRequestOptions>().Bind(configuration.GetSection(OptIns.OptInRequestOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OptIns.OptInRequests>();
        return services;
    }

    /// <summary>The consent ledger and its checkpoints; the host runs the checkpointer.</summary>
    private static IServiceCollection AddLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LedgerCheckpointer>();
        services.AddSingleton(sp => new LedgerSigningKeys(sp.GetRequiredService<KeyStore>(), configuration));
        services.AddSingleton<LedgerProofs>();
        services.AddSingleton<LedgerReceiptProofs>();
        services.AddSingleton<ConsentLedger>();
        return services;
    }

    /// <summary>Consents over the ledger: the service, imports, and consent texts with their reconfirmation job.</summary>
    private static IServiceCollection AddConsents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConsentService, ConsentService>();
        services.AddSingleton<ConsentImporter>();
        services.AddOptions<ConsentTexts.ConsentTextOptions>().Bind(configuration.GetSection(ConsentTexts.ConsentTextOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsentTexts.ConsentTextAdmin>();
        services.AddSingleton<ConsentTexts.PendingChanges>();
        services.AddSingleton<ConsentTexts.ReconfirmationJob>();
        return services;
    }

    /// <summary>Customer sign-in by phone: its options, the phone rules and the sign-in links.</summary>
    private static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignIn.CustomerSignInOptions>().Bind(configuration.GetSection(SignIn.CustomerSignInOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Phones.PhoneOptions>().Bind(configuration.GetSection(Phones.PhoneOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignIn.SignInLinks>();
        return services;
    }

    /// <summary>What the staff pages read and do.</summary>
    private static IServiceCollection AddStaffConsole(this IServiceCollection services) =>
        services.AddSingleton<IStaffConsole, StaffConsole>();

    /// <summary>SQLite (with its durability pragmas) or PostgreSQL (with its write lock), each with its own migrations.</summary>
    public static DbContextOptionsBuilder UsePreferenceCenterDatabase(this DbContextOptionsBuilder options, DatabaseOptions database, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        return database.IsPostgres
            ? options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly)).AddInterceptors(PostgresWriteLock.Instance)
            : options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly)).AddInterceptors(SqliteDurabilityInterceptor.Instance);
    }

    /// <summary>The configured connection string; for SQLite, a relative file lives in the data folder.</summary>
    public static string ConnectionString(IConfiguration configuration, DatabaseOptions database, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(database);
        return database.IsPostgres
            ? configuration.GetConnectionString(ConnectionStringName) ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.")
            : SqliteConnectionString(configuration, storage);
    }

    /// <summary>The configured connection string, else a file in the data folder.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        var configured = configuration.GetConnectionString(ConnectionStringName);
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? "Data Source=preferencecenter.db" : configured);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.Combine(storage.ResolveDataFolder(), builder.DataSource);
        }

        builder.Pooling = true;
        return builder.ToString();
    }
}
