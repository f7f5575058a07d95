using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class ConsentTextConfiguration : IEntityTypeConfiguration<ConsentText>
{
    public void Configure(EntityTypeBuilder<ConsentText> builder)
    {
        builder.ToTable("ConsentTexts");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(t => t.Language).HasMaxLength(8).IsRequired();
        builder.Property(t => t.Label).HasMaxLength(ConsentText.MaxLabelLength).IsRequired();
        builder.Property(t => t.Body).HasMaxLength(ConsentText.MaxBodyLength).IsRequired();

        // Stored as names: the immutability trigger and the ledger's SQL compare Status = 'Published'.
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.ChangeSummary).HasMaxLength(ConsentText.MaxChangeSummaryLength);

        // Version 0 marks a draft, so this index also allows one draft per purpose and language.
        builder.HasIndex(t => new { t.Purpose, t.Language, t.Version }).IsUnique();
        builder.HasData(ConsentTextSeed.All);
    }
}
