using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class ConsentStateConfiguration : IEntityTypeConfiguration<ConsentState>
{
    public void Configure(EntityTypeBuilder<ConsentState> builder)
    {
        builder.ToTable("ConsentStates");
        builder.HasKey(s => new { s.CustomerId, s.Purpose });
        builder.Property(s => s.Purpose).HasMaxLength(Purpose.MaxKeyLength);
        builder.Property(s => s.PhoneE164).HasMaxLength(16).IsRequired();

        // Optimistic check for providers that do not serialise writers the way SQLite does.
        builder.Property(s => s.LastSequence).IsConcurrencyToken();
        builder.HasIndex(s => new { s.PhoneE164, s.Purpose });
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}
