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
        builder.Property(t => t.Purpose).HasConversion<string>().HasMaxLength(32);
        builder.Property(t => t.Language).HasMaxLength(8).IsRequired();
        builder.Property(t => t.Label).HasMaxLength(100).IsRequired();
        builder.Property(t => t.Body).HasMaxLength(2000).IsRequired();
        builder.HasIndex(t => new { t.Purpose, t.Language, t.Version }).IsUnique();
        builder.HasData(ConsentTextSeed.All);
    }
}
