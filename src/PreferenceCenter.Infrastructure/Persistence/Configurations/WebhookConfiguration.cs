using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Webhooks;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriberConfiguration : IEntityTypeConfiguration<WebhookSubscriber>
{
    public void Configure(EntityTypeBuilder<WebhookSubscriber> builder)
    {
        builder.ToTable("WebhookSubscribers");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Name).HasMaxLength(WebhookSubscriber.MaxNameLength).IsRequired();
        builder.Property(s => s.Url).HasMaxLength(WebhookRules.MaxUrlLength).IsRequired();
        builder.Property(s => s.ProtectedSecret).HasMaxLength(1000).IsRequired();
        builder.Property(s => s.PurposesText).HasMaxLength(200).IsRequired();
        builder.Property(s => s.ActionsText).HasMaxLength(100).IsRequired();
        builder.Ignore(s => s.Purposes);
        builder.Ignore(s => s.Actions);
    }
}

internal sealed class WebhookFanOutConfiguration : IEntityTypeConfiguration<WebhookFanOut>
{
    public void Configure(EntityTypeBuilder<WebhookFanOut> builder)
    {
        builder.ToTable("WebhookFanOut");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasData(new WebhookFanOut { Id = WebhookFanOut.SingletonId, Through = 0 });
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedOnAdd();

        // One delivery per subscriber and event: a replay queues the same row again rather than a second one.
        builder.HasIndex(d => new { d.SubscriberId, d.Sequence }).IsUnique();

        // The ordering check ("an earlier pending one of the same customer?") and the due scan.
        builder.HasIndex(d => new { d.SubscriberId, d.CustomerId, d.Status, d.Sequence });
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.Property(d => d.LeaseOwner).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
        builder.HasOne<WebhookSubscriber>().WithMany().HasForeignKey(d => d.SubscriberId).OnDelete(DeleteBehavior.Cascade);
    }
}
