using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class CustomerLedgerKeyConfiguration : IEntityTypeConfiguration<CustomerLedgerKey>
{
    public void Configure(EntityTypeBuilder<CustomerLedgerKey> builder)
    {
        builder.ToTable("CustomerLedgerKeys");
        builder.HasKey(k => k.CustomerId);
        builder.Property(k => k.Key).HasMaxLength(32).IsRequired();
        builder.HasOne<Customer>().WithOne().HasForeignKey<CustomerLedgerKey>(k => k.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
