using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class LedgerCheckpointConfiguration : IEntityTypeConfiguration<LedgerCheckpoint>
{
    public void Configure(EntityTypeBuilder<LedgerCheckpoint> builder)
    {
        builder.ToTable("LedgerCheckpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Hash).HasMaxLength(64).IsRequired();
        builder.Property(c => c.Signature).HasMaxLength(64).IsRequired();
        builder.Property(c => c.RootHash).HasMaxLength(64);
        builder.Property(c => c.Note).HasMaxLength(2000);
        builder.Property(c => c.KeyId).HasMaxLength(8);
        builder.Ignore(c => c.SignedText);

        // One signature per head: with several instances signing on a timer, the database keeps the first (ADR 19).
        builder.HasIndex(c => c.Sequence).IsUnique();
    }
}
