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

    public static IServiceCollection AddPreferenceCenterInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => !o.IsPostgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)), $"ConnectionStrings:{ConnectionStringName} must be set to an Npgsql connection string when Database:Provider is 'Postgres'.")
            .ValidateOnStart();
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Localization.LanguageOptions>().Bind(configuration.GetSection(Localization.LanguageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // Resource files sit beside the class that uses them (Messaging/SmsTexts.resx), in every project.
        services.AddLocalization();
        services.AddSingleton<SmsTexts>();
        services.AddSingleton<Purposes.PurposeRegistry>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddPreferenceCenterIdentityStoreOptions();

        // Components get short-lived contexts from the factory; Identity's stores get a scoped one from the same options.
        // The provider is chosen once, from Database:Provider (validated on first use, which is the start-up migration).
        // Pooled: a page re-reads a few queries after every change, and building a fresh context (its services, its
        // options lookup) cost more CPU than the queries themselves under load (README, Performance).
        services.AddPooledDbContextFactory<PreferenceCenterDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UsePreferenceCenterDatabase(database, ConnectionString(configuration, database, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        });
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContext());

        services.AddSingleton(sp => new KeyStore(configuration, sp.GetRequiredService<IOptions<StorageOptions>>()));
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<PhoneIndex>();
        services.AddSharedDataProtection(configuration);
        services.AddOptions<Embedding.EmbedOptions>().Bind(configuration.GetSection(Embedding.EmbedOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Embedding.EmbedSites>();
        services.AddOptions<Integrations.IntegrationKeyOptions>().Bind(configuration.GetSection(Integrations.IntegrationKeyOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Integrations.IntegrationKeys>();
        services.AddWebhooks(configuration);
        services.AddSingleton<ICustomerErasure, CustomerErasure>();
        if (string.Equals(configuration["Sms:Provider"], "Twilio", StringComparison.OrdinalIgnoreCase))
        {
            services.AddTwilioSms(configuration);
        }
        else
        {
            services.AddSingleton<ISmsSender, OutboxSmsSender>();
        }

        services.AddMetrics();
        services.AddSingleton<Observability.PreferenceCenterMetrics>();
        services.AddSingleton<ISmsGateway, SmsGateway>();
        services.AddSingleton<InboundSmsService>();
        services.AddOptions<TextQueueOptions>().Bind(configuration.GetSection(TextQueueOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TextQueueSignal>();
        services.AddSingleton<TextDispatcher>();
        services.AddSingleton<ReviewDesk>();
        services.AddOptions<OptIns.OptInRequestOptions>().Bind(configuration.GetSection(OptIns.OptInRequestOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OptIns.OptInRequests>();
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LedgerCheckpointer>();
        services.AddSingleton(sp => new LedgerSigningKeys(sp.GetRequiredService<KeyStore>(), configuration));
        services.AddSingleton<LedgerProofs>();
        services.AddSingleton<LedgerReceiptProofs>();
        services.AddSingleton<ConsentLedger>();
        services.AddSingleton<IConsentService, ConsentService>();
        services.AddSingleton<ConsentImporter>();
        services.AddOptions<ConsentTexts.ConsentTextOptions>().Bind(configuration.GetSection(ConsentTexts.ConsentTextOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConsentTexts.ConsentTextAdmin>();
        services.AddSingleton<ConsentTexts.PendingChanges>();
        services.AddSingleton<ConsentTexts.ReconfirmationJob>();
        services.AddOptions<SignIn.CustomerSignInOptions>().Bind(configuration.GetSection(SignIn.CustomerSignInOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Phones.PhoneOptions>().Bind(configuration.GetSection(Phones.PhoneOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignIn.SignInLinks>();
        services.AddSingleton<PhoneVerificationService>();
        services.AddSingleton<IPhoneVerificationService>(sp => sp.GetRequiredService<PhoneVerificationService>());
        services.AddSingleton<ICustomerDirectory, CustomerDirectory>();
        services.AddSingleton<IStaffConsole, StaffConsole>();
        return services;
    }

    /// <summary>The Identity schema the migrations were made with (v3: passkeys). Runtime and design time must agree.</summary>
    public static IServiceCollection AddPreferenceCenterIdentityStoreOptions(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);

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
