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
using PreferenceCenter.Domain.Support;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Customers;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Support;
using PreferenceCenter.Infrastructure.Verification;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure;

public static class DependencyInjection
{
    public const string ConnectionStringName = "PreferenceCenter";
    public const string SqliteMigrationsAssembly = "PreferenceCenter.Migrations.Sqlite";

    public static IServiceCollection AddPreferenceCenterInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddPreferenceCenterIdentityStoreOptions();

        // Components get short-lived contexts from the factory; Identity's stores get a scoped one from the same options.
        services.AddDbContextFactory<PreferenceCenterDbContext>((sp, options) =>
            options.UseSqlite(SqliteConnectionString(configuration, sp.GetRequiredService<IOptions<StorageOptions>>().Value), sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(SqliteDurabilityInterceptor.Instance, sp.GetRequiredService<Observability.ConsentMetricsInterceptor>()));
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContext());

        services.AddSingleton(sp => new KeyStore(configuration, sp.GetRequiredService<IOptions<StorageOptions>>()));
        services.AddSingleton<VerificationCodes>();
        services.AddSingleton<PhoneIndex>();
        services.AddSharedDataProtection();
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
        services.AddSingleton<Observability.ConsentMetricsInterceptor>();
        services.AddSingleton<ISmsGateway, SmsGateway>();
        services.AddSingleton<InboundSmsService>();
        services.AddSingleton<ReviewDesk>();
        services.AddOptions<LedgerOptions>().Bind(configuration.GetSection(LedgerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LedgerCheckpointer>();
        services.AddSingleton<LedgerAppender>();
        services.AddSingleton<IConsentService, ConsentService>();
        services.AddSingleton<ConsentImporter>();
        services.AddSingleton<IPhoneVerificationService, PhoneVerificationService>();
        services.AddSingleton<ICustomerDirectory, CustomerDirectory>();
        services.AddSingleton(new SupportOptions { DefaultRegion = configuration["Phone:DefaultRegion"] ?? "US" });
        services.AddSingleton<ISupportConsole, SupportConsole>();
        return services;
    }

    /// <summary>The Identity schema the migrations were made with (v3: passkeys). Runtime and design time must agree.</summary>
    public static IServiceCollection AddPreferenceCenterIdentityStoreOptions(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);

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
