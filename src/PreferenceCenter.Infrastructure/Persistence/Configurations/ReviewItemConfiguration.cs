using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class ReviewItemConfiguration : IEntityTypeConfiguration<ReviewItem>
{
    public void Configure(EntityTypeBuilder<ReviewItem> builder)
    {
        builder.ToTable("ReviewItems");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.FromE164).HasMaxLength(16).IsRequired();
        builder.Property(r => r.Body).HasMaxLength(1600).IsRequired();
        builder.Property(r => r.ResolvedBy).HasMaxLength(200);
        builder.Property(r => r.Resolution).HasMaxLength(300);
        builder.HasIndex(r => new { r.ResolvedAt, r.CreatedAt });
        builder.HasOne<InboundSms>().WithMany().HasForeignKey(r => r.InboundSmsId).OnDelete(DeleteBehavior.Restrict);
    }
}
