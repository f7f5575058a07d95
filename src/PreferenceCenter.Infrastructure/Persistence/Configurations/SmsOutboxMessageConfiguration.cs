using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class SmsOutboxMessageConfiguration : IEntityTypeConfiguration<SmsOutboxMessage>
{
    public void Configure(EntityTypeBuilder<SmsOutboxMessage> builder)
    {
        builder.ToTable("SmsOutbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.ToE164).HasMaxLength(16).IsRequired();
        builder.Property(m => m.Body).HasMaxLength(1600).IsRequired();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(m => m.CreatedAt);
    }
}
