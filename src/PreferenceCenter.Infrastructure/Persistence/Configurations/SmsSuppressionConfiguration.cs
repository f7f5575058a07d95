using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class SmsSuppressionConfiguration : IEntityTypeConfiguration<SmsSuppression>
{
    public void Configure(EntityTypeBuilder<SmsSuppression> builder)
    {
        builder.ToTable("SmsSuppressions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.PhoneE164).HasMaxLength(16).IsRequired();
        builder.Property(s => s.PhoneKey).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(s => s.Source).HasMaxLength(80).IsRequired();
        builder.HasIndex(s => new { s.PhoneKey, s.Purpose, s.LiftedAt });
    }
}
