using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class PurposeDefinitionConfiguration : IEntityTypeConfiguration<PurposeDefinition>
{
    public void Configure(EntityTypeBuilder<PurposeDefinition> builder)
    {
        builder.ToTable("Purposes");
        builder.HasKey(d => d.Purpose);
        builder.Property(d => d.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(d => d.NameEn).HasMaxLength(PurposeDefinition.MaxNameLength).IsRequired();
        builder.Property(d => d.NameEs).HasMaxLength(PurposeDefinition.MaxNameLength).IsRequired();
        builder.Property(d => d.PhraseEn).HasMaxLength(PurposeDefinition.MaxPhraseLength).IsRequired();
        builder.Property(d => d.PhraseEs).HasMaxLength(PurposeDefinition.MaxPhraseLength).IsRequired();
        builder.Property(d => d.FrequencyEn).HasMaxLength(PurposeDefinition.MaxFrequencyLength).IsRequired();
        builder.Property(d => d.FrequencyEs).HasMaxLength(PurposeDefinition.MaxFrequencyLength).IsRequired();
        builder.Property(d => d.TextKind).HasConversion<string>().HasMaxLength(24);
        builder.Property(d => d.SendingNumber).HasMaxLength(16);
        builder.HasData(PurposeDefinition.Seeds.Select(d => new
        {
            d.Purpose, d.Order, d.NameEn, d.NameEs, d.PhraseEn, d.PhraseEs, d.FrequencyEn, d.FrequencyEs,
            d.LapsesWhenNotReconfirmed, d.TextKind, d.SendingNumber, d.CreatedAt,
        }));
    }
}
