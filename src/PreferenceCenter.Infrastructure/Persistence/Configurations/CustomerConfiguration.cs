using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("Customers");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.UserId).HasMaxLength(450);
        builder.HasIndex(c => c.UserId).IsUnique();
        builder.Property(c => c.EmbedSiteId).HasMaxLength(40);
        builder.Property(c => c.ExternalSubject).HasMaxLength(200);
        builder.Property(c => c.PreferredLanguage).HasMaxLength(8);
        builder.Ignore(c => c.IsUnclaimedImport);

        // One customer per (site, the site's own customer id).
        builder.HasIndex(c => new { c.EmbedSiteId, c.ExternalSubject }).IsUnique();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
