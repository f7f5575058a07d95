using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.OptIns;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class OptInRequestConfiguration : IEntityTypeConfiguration<OptInRequest>
{
    public void Configure(EntityTypeBuilder<OptInRequest> builder)
    {
        builder.ToTable("OptInRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.PhoneE164).HasMaxLength(16).IsRequired();
        builder.Property(r => r.FromE164).HasMaxLength(16).IsRequired();
        builder.Property(r => r.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(r => r.Language).HasMaxLength(8).IsRequired();
        builder.Property(r => r.Source).HasMaxLength(OptInRequest.SourceLength).IsRequired();
        builder.Property(r => r.RequestedBy).HasMaxLength(200).IsRequired();
        builder.Property(r => r.RequestedFromIp).HasMaxLength(64);
        builder.Property(r => r.KeywordText).HasMaxLength(OptInRequest.TextLength);
        builder.Property(r => r.KeywordMessageSid).HasMaxLength(OptInRequest.MessageSidLength);
        builder.Property(r => r.RequestText).HasMaxLength(OptInRequest.TextLength).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ReplyText).HasMaxLength(OptInRequest.TextLength);
        builder.Property(r => r.ReplyMessageSid).HasMaxLength(OptInRequest.MessageSidLength);
        builder.HasIndex(r => new { r.PhoneE164, r.Status });
        builder.HasIndex(r => r.CustomerId);
    }
}
