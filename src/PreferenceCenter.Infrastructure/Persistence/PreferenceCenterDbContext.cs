using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence;

public sealed class PreferenceCenterDbContext(DbContextOptions<PreferenceCenterDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>Data Protection's key ring, shared by every instance on this database (ADR 0019).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<CustomerPhone> CustomerPhones => Set<CustomerPhone>();

    public DbSet<VerificationChallenge> VerificationChallenges => Set<VerificationChallenge>();

    public DbSet<SignInLink> SignInLinks => Set<SignInLink>();

    public DbSet<ConsentText> ConsentTexts => Set<ConsentText>();

    public DbSet<PurposeDefinition> Purposes => Set<PurposeDefinition>();

    public DbSet<ConsentEvent> ConsentEvents => Set<ConsentEvent>();

    public DbSet<ConsentState> ConsentStates => Set<ConsentState>();

    public DbSet<ConsentTextImpression> ConsentTextImpressions => Set<ConsentTextImpression>();

    public DbSet<SmsOutboxMessage> SmsOutbox => Set<SmsOutboxMessage>();

    public DbSet<QueuedText> QueuedTexts => Set<QueuedText>();

    public DbSet<PendingConfirmation> PendingConfirmations => Set<PendingConfirmation>();

    public DbSet<AccessRecord> AccessRecords => Set<AccessRecord>();

    public DbSet<InboundSms> InboundSms => Set<InboundSms>();

    public DbSet<SmsSuppression> SmsSuppressions => Set<SmsSuppression>();

    public DbSet<Domain.OptIns.OptInRequest> OptInRequests => Set<Domain.OptIns.OptInRequest>();

    public DbSet<ReviewItem> ReviewItems => Set<ReviewItem>();

    public DbSet<CustomerLedgerKey> CustomerLedgerKeys => Set<CustomerLedgerKey>();

    public DbSet<LedgerCheckpoint> LedgerCheckpoints => Set<LedgerCheckpoint>();

    public DbSet<Domain.Embedding.EmbedSite> EmbedSites => Set<Domain.Embedding.EmbedSite>();

    public DbSet<Embedding.EmbedNonce> EmbedNonces => Set<Embedding.EmbedNonce>();

    public DbSet<Domain.Integrations.Integration> Integrations => Set<Domain.Integrations.Integration>();

    public DbSet<Integrations.IdempotencyRecord> IdempotencyRecords => Set<Integrations.IdempotencyRecord>();

    public DbSet<Domain.Webhooks.WebhookSubscriber> WebhookSubscribers => Set<Domain.Webhooks.WebhookSubscriber>();

    public DbSet<Webhooks.WebhookFanOut> WebhookFanOut => Set<Webhooks.WebhookFanOut>();

    public DbSet<Domain.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Domain.Webhooks.WebhookDelivery>();

    public DbSet<ConsentTexts.TextChangeNotice> TextChangeNotices => Set<ConsentTexts.TextChangeNotice>();

    public DbSet<ConsentTexts.JobLease> JobLeases => Set<ConsentTexts.JobLease>();

    public DbSet<Security.KeyFingerprint> KeyFingerprints => Set<Security.KeyFingerprint>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAppendOnlyChanges(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAppendOnlyChanges(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PreferenceCenterDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services => new UnindexedForeignKeyConvention(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));
        configurationBuilder.Properties<Purpose>().HaveConversion<PurposeConverter>().HaveMaxLength(Purpose.MaxKeyLength);
        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset text in SQL; UTC ticks keep both exact and fast.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
        else if (Database.IsNpgsql())
        {
            // timestamptz takes UTC only (Npgsql refuses other offsets) and keeps microseconds: store exactly that,
            // so a value read back equals the one written (signed checkpoints, sealed events).
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcMicrosecondsConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcMicrosecondsConverter>();
        }
    }

    /// <summary>The first line of defence; the database's triggers are the second, for raw SQL.</summary>
    private static void RefuseAppendOnlyChanges(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            // A consent text is append-only once published; a draft may be edited, published or discarded.
            if (entry.State is EntityState.Modified or EntityState.Deleted && entry.Entity is ConsentText
                && entry.OriginalValues.GetValue<ConsentTextStatus>(nameof(ConsentText.Status)) == ConsentTextStatus.Published)
            {
                throw new AppendOnlyViolationException("A published ConsentText version can never be changed or removed; publish a new version instead.");
            }

            if (entry.State is EntityState.Modified or EntityState.Deleted && entry.Entity is ConsentEvent or ConsentTextImpression or AccessRecord or LedgerCheckpoint)
            {
                throw new AppendOnlyViolationException($"{entry.Metadata.ClrType.Name} rows are append-only: they can be added, never changed or removed.");
            }
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class UtcMicrosecondsConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => PostgresInstant.Stored(v),
        v => v);
}
