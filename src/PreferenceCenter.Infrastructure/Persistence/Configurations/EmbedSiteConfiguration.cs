using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Embedding;

namespace PreferenceCenter.Infrastructure.Persistence.Configurations;

internal sealed class EmbedSiteConfiguration : IEntityTypeConfiguration<EmbedSite>
{
    public void Configure(EntityTypeBuilder<EmbedSite> builder)
    {
        builder.ToTable("EmbedSites");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.Property(s => s.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(s => s.AllowedOriginsText).HasMaxLength(2000).IsRequired();
        builder.Property(s => s.ProtectedSecret).HasMaxLength(1000).IsRequired();
        builder.Property(s => s.PrimaryColor).HasMaxLength(7);
        builder.Property(s => s.LogoUrl).HasMaxLength(500);
        builder.Ignore(s => s.AllowedOrigins);
    }
}

internal sealed class EmbedNonceConfiguration : IEntityTypeConfiguration<EmbedNonce>
{
    public void Configure(EntityTypeBuilder<EmbedNonce> builder)
    {
        builder.ToTable("EmbedNonces");
        builder.HasKey(n => new { n.SiteId, n.Nonce });
        builder.Property(n => n.SiteId).HasMaxLength(40);
        builder.Property(n => n.Nonce).HasMaxLength(128);
        builder.HasIndex(n => n.ExpiresAt);
    }
}
