using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class ConsentTextImpressionConfiguration : IEntityTypeConfiguration<ConsentTextImpression>
{
    public void Configure(EntityTypeBuilder<ConsentTextImpression> builder)
    {
        builder.ToTable("ConsentTextImpressions");
        builder.HasKey(i => i.Id);

        // Once per version per customer: a second tab racing the first hits this index and is ignored.
        builder.HasIndex(i => new { i.CustomerId, i.ConsentTextId }).IsUnique();
        builder.Property(i => i.Method).HasMaxLength(80).IsRequired();
        builder.Property(i => i.Origin).HasMaxLength(200);
        builder.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ConsentText>().WithMany().HasForeignKey(i => i.ConsentTextId).OnDelete(DeleteBehavior.Restrict);
    }
}
