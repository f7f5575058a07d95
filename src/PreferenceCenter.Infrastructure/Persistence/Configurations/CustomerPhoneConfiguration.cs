using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class CustomerPhoneConfiguration : IEntityTypeConfiguration<CustomerPhone>
{
    public void Configure(EntityTypeBuilder<CustomerPhone> builder)
    {
        builder.ToTable("CustomerPhones");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.PhoneE164).HasMaxLength(16).IsRequired();
        builder.Ignore(p => p.IsCurrent);
        builder.HasIndex(p => new { p.CustomerId, p.ReplacedAt });

        // At most one current number per customer.
        builder.HasIndex(p => p.CustomerId).IsUnique().HasFilter("\"ReplacedAt\" IS NULL").HasDatabaseName("IX_CustomerPhones_Current");
        builder.HasIndex(p => p.PhoneE164);
        builder.HasOne<Customer>().WithMany().HasForeignKey(p => p.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}
