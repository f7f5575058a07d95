using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.ConsentTexts;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class TextChangeNoticeConfiguration : IEntityTypeConfiguration<TextChangeNotice>
{
    public void Configure(EntityTypeBuilder<TextChangeNotice> builder)
    {
        builder.ToTable("TextChangeNotices");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Outcome).HasConversion<string>().HasMaxLength(16);

        // The "once" of the SMS notice: a second claim for the same customer and version fails here.
        builder.HasIndex(n => new { n.CustomerId, n.ConsentTextId }).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(n => n.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ConsentText>().WithMany().HasForeignKey(n => n.ConsentTextId).OnDelete(DeleteBehavior.Restrict);
    }
}
