using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class InboundSmsConfiguration : IEntityTypeConfiguration<InboundSms>
{
    public void Configure(EntityTypeBuilder<InboundSms> builder)
    {
        builder.ToTable("InboundSms");
        builder.HasKey(m => m.Id);

        // The provider's id is the idempotency key: a retried webhook cannot insert twice.
        builder.HasIndex(m => m.MessageSid).IsUnique();
        builder.Property(m => m.MessageSid).HasMaxLength(64).IsRequired();
        builder.Property(m => m.FromE164).HasMaxLength(16).IsRequired();
        builder.Property(m => m.ToE164).HasMaxLength(16).IsRequired();
        builder.Property(m => m.Body).HasMaxLength(1600).IsRequired();
        builder.Property(m => m.Intent).HasConversion<string>().HasMaxLength(24);
        builder.Property(m => m.Outcome).HasMaxLength(200).IsRequired();
        builder.HasIndex(m => new { m.FromE164, m.ReceivedAt });
    }
}
