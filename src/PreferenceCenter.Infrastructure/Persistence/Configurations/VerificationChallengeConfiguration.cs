using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Verification;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class VerificationChallengeConfiguration : IEntityTypeConfiguration<VerificationChallenge>
{
    public void Configure(EntityTypeBuilder<VerificationChallenge> builder)
    {
        builder.ToTable("VerificationChallenges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.PhoneE164).HasMaxLength(16).IsRequired();
        builder.Property(c => c.CodeHash).HasMaxLength(32).IsRequired();

        // Two tabs guessing at once must not both get the same attempt.
        builder.Property(c => c.FailedAttempts).IsConcurrencyToken();
        builder.HasIndex(c => new { c.CustomerId, c.CreatedAt });
        builder.HasIndex(c => new { c.PhoneE164, c.CreatedAt });
        builder.HasIndex(c => new { c.FlowId, c.CreatedAt });
        builder.Property(c => c.RequestIp).HasMaxLength(64);
        builder.HasIndex(c => new { c.RequestIp, c.CreatedAt });
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}
