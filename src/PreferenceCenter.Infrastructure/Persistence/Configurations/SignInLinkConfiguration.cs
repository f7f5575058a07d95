using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class SignInLinkConfiguration : IEntityTypeConfiguration<SignInLink>
{
    public void Configure(EntityTypeBuilder<SignInLink> builder)
    {
        builder.ToTable("SignInLinks");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.PhoneE164).HasMaxLength(16).IsRequired();
        builder.HasIndex(l => new { l.PhoneE164, l.UsedAt });

        // Opening the link and a second tab opening it must not both sign in.
        builder.Property(l => l.UsedAt).IsConcurrencyToken();
        builder.HasOne<Customer>().WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
