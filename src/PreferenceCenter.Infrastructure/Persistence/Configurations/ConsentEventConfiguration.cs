using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class ConsentEventConfiguration : IEntityTypeConfiguration<ConsentEvent>
{
    public void Configure(EntityTypeBuilder<ConsentEvent> builder)
    {
        builder.ToTable("ConsentEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();

        // A unique sequence makes a forked log impossible even if two writers slipped past the transaction.
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => new { e.CustomerId, e.Sequence });
        builder.Property(e => e.PhoneE164).HasMaxLength(16).IsRequired();
        builder.Property(e => e.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Method).HasMaxLength(80).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(200).IsRequired();
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(512);
        builder.Property(e => e.Locale).HasMaxLength(35);
        builder.Property(e => e.Reason).HasMaxLength(200);
        builder.Property(e => e.TextSha256).HasMaxLength(64);
        builder.Property(e => e.Origin).HasMaxLength(200);
        builder.Property(e => e.PersonalDigest).HasMaxLength(64);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);

        // No index on the text: published texts are never deleted (the triggers refuse it), so only discarding a draft
        // looks events up by text, and that rare scan costs less than an index page written and synced per append (ADR 40).
        builder.Property(e => e.ConsentTextId).HasAnnotation(UnindexedForeignKeyConvention.Annotation, true);
        builder.HasOne<ConsentText>().WithMany().HasForeignKey(e => e.ConsentTextId).OnDelete(DeleteBehavior.Restrict);
    }
}
