using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Staff;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class AccessRecordConfiguration : IEntityTypeConfiguration<AccessRecord>
{
    public void Configure(EntityTypeBuilder<AccessRecord> builder)
    {
        builder.ToTable("AccessRecords");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.StaffUserId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.StaffEmail).HasMaxLength(256).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(16).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(200);
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.CustomerId, a.At });
        builder.HasIndex(a => new { a.StaffEmail, a.At });
    }
}
