using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class QueuedTextConfiguration : IEntityTypeConfiguration<QueuedText>
{
    public void Configure(EntityTypeBuilder<QueuedText> builder)
    {
        builder.ToTable("QueuedTexts");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.ToE164).HasMaxLength(16).IsRequired();
        builder.Property(t => t.FromE164).HasMaxLength(16);
        builder.Property(t => t.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(t => t.Body).HasMaxLength(1600);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.LastError).HasMaxLength(QueuedText.ErrorLength);
        builder.Property(t => t.LeaseOwner).HasMaxLength(200);

        // The dispatcher's question ("pending and due"), and erasure's (by number).
        builder.HasIndex(t => new { t.Status, t.NextAttemptAt });
        builder.HasIndex(t => t.ToE164);
        builder.HasIndex(t => t.GrantSequence).IsUnique();
    }
}

internal sealed class PendingConfirmationConfiguration : IEntityTypeConfiguration<PendingConfirmation>
{
    public void Configure(EntityTypeBuilder<PendingConfirmation> builder)
    {
        // Keyed by the grant's sequence and nothing else: the append adds one row at the end of one b-tree (ADR 0040).
        builder.ToTable("PendingConfirmations");
        builder.HasKey(c => c.GrantSequence);
        builder.Property(c => c.GrantSequence).ValueGeneratedNever();
        builder.Property(c => c.ToE164).HasMaxLength(16).IsRequired();
        builder.Property(c => c.Purpose).HasMaxLength(Purpose.MaxKeyLength);
    }
}
