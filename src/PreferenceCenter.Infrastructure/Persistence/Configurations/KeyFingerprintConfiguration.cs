using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class KeyFingerprintConfiguration : IEntityTypeConfiguration<KeyFingerprint>
{
    public void Configure(EntityTypeBuilder<KeyFingerprint> builder)
    {
        builder.ToTable("KeyFingerprints");
        builder.HasKey(f => f.Name);
        builder.Property(f => f.Name).HasMaxLength(64);
        builder.Property(f => f.Fingerprint).HasMaxLength(64).IsRequired();
    }
}
