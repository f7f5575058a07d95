using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Integrations;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.ToTable("Integrations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Name).HasMaxLength(100).IsRequired();
        builder.Property(i => i.ScopesText).HasMaxLength(200).IsRequired();
        builder.Property(i => i.KeyPrefix).HasMaxLength(12).IsRequired();
        builder.Property(i => i.KeyHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(i => i.KeyPrefix).IsUnique();
        builder.Ignore(i => i.Scopes);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<Integrations.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<Integrations.IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyRecords");
        builder.HasKey(r => new { r.IntegrationId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.Request).HasMaxLength(300).IsRequired();
        // No length limit: an import's answer lists every row (10,000 rows ≈ 1.5 MB).
        builder.Property(r => r.ResponseJson).IsRequired();
    }
}
