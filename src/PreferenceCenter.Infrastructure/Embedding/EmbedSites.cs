using System.Security.Cryptography;
using System.Buffers.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Embedding;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Embedding;

public enum EmbedOpenOutcome
{
    Opened,
    UnknownSite,
    Malformed,
    BadSignature,
    Expired,
    TooLongLived,
    Replayed,
}

/// <summary>Who the framed page is for; carried in the circuit, never in a cookie.</summary>
/// <param name="PreferredLanguage">The language this customer chose in an earlier visit, if any: a frame has no cookie to remember it.</param>
public sealed record EmbedSession(string SiteId, string DisplayName, Guid CustomerId, string? EmbeddingOrigin, string? PrimaryColor, string? LogoUrl, bool DarkMode, string? PreferredLanguage = null)
{
    public string Method => Domain.Consents.ConsentMethod.Embedded(SiteId);
}

/// <summary>The outcome of opening a link, and the origins that may frame the answer (the site's, if known).</summary>
public sealed record EmbedOpenResult(EmbedOpenOutcome Outcome, EmbedSession? Session, IReadOnlyList<string> FrameAncestors);

public sealed record EmbedSiteCreated(EmbedSite Site, string Secret);

/// <summary>Embed sites, their protected secrets, signed-link checks with single-use nonces, and (site, sub) customers.</summary>
public sealed partial class EmbedSites(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    IDataProtectionProvider protection,
    IOptions<EmbedOptions> options,
    TimeProvider clock,
    ILogger<EmbedSites> logger)
{
    private readonly IDataProtector _secrets = protection.CreateProtector("PreferenceCenter.EmbedSites.Secret.v1");

    public async Task<IReadOnlyList<EmbedSite>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.EmbedSites.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);
    }

    public async Task<EmbedSite?> FindAsync(string siteId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.EmbedSites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId && s.DisabledAt == null, cancellationToken);
    }

    public async Task<EmbedOpenResult> OpenAsync(string siteId, string? sub, string? exp, string? nonce, string? sig, string? referrerOrigin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = EmbedRules.IsValidSiteId(siteId) ? await db.EmbedSites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId && s.DisabledAt == null, cancellationToken) : null;
        if (site is null)
        {
            LogRefused(siteId.Length > 40 ? siteId[..40] : siteId, EmbedOpenOutcome.UnknownSite);
            return new EmbedOpenResult(EmbedOpenOutcome.UnknownSite, null, []);
        }

        var now = clock.GetUtcNow();
        var check = EmbedLink.Check(_secrets.Unprotect(site.ProtectedSecret), site.Id, sub, exp, nonce, sig, now, TimeSpan.FromMinutes(options.Value.MaxLinkLifetimeMinutes));
        var outcome = check switch
        {
            EmbedLinkCheck.Valid => EmbedOpenOutcome.Opened,
            EmbedLinkCheck.Expired => EmbedOpenOutcome.Expired,
            EmbedLinkCheck.TooLongLived => EmbedOpenOutcome.TooLongLived,
            EmbedLinkCheck.BadSignature => EmbedOpenOutcome.BadSignature,
            _ => EmbedOpenOutcome.Malformed,
        };
        if (outcome != EmbedOpenOutcome.Opened)
        {
            LogRefused(site.Id, outcome);
            return new EmbedOpenResult(outcome, null, site.AllowedOrigins);
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.EmbedNonces.AnyAsync(n => n.SiteId == site.Id && n.Nonce == nonce, cancellationToken))
        {
            LogRefused(site.Id, EmbedOpenOutcome.Replayed);
            return new EmbedOpenResult(EmbedOpenOutcome.Replayed, null, site.AllowedOrigins);
        }

        db.EmbedNonces.Add(new EmbedNonce { SiteId = site.Id, Nonce = nonce!, ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp!, System.Globalization.CultureInfo.InvariantCulture)) });
        await db.EmbedNonces.Where(n => n.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.EmbedSiteId == site.Id && c.ExternalSubject == sub, cancellationToken);
        if (customer is null)
        {
            customer = Customer.ForEmbed(site.Id, sub!, now);
            db.Customers.Add(customer);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        var origin = site.Allows(referrerOrigin) ? referrerOrigin : site.AllowedOrigins.Count == 1 ? site.AllowedOrigins[0] : null;
        return new EmbedOpenResult(EmbedOpenOutcome.Opened, new EmbedSession(site.Id, site.DisplayName, customer.Id, origin, site.PrimaryColor, site.LogoUrl, site.DarkMode, customer.PreferredLanguage), site.AllowedOrigins);
    }

    /// <summary>Registers a site; returns the plain secret, which is never shown again.</summary>
    public async Task<EmbedSiteCreated> CreateAsync(string id, string displayName, IEnumerable<string> allowedOrigins, string? primaryColor, string? logoUrl, bool darkMode, CancellationToken cancellationToken = default)
    {
        var secret = NewSecret();
        var site = EmbedSite.Create(id, displayName, allowedOrigins, _secrets.Protect(secret), clock.GetUtcNow());
        site.Update(displayName, site.AllowedOrigins, primaryColor, logoUrl, darkMode);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.EmbedSites.AnyAsync(s => s.Id == id, cancellationToken))
        {
            throw new InvalidOperationException($"A site with id '{id}' already exists.");
        }

        db.EmbedSites.Add(site);
        await db.SaveChangesAsync(cancellationToken);
        return new EmbedSiteCreated(site, secret);
    }

    public async Task<string> RotateSecretAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.EmbedSites.FirstAsync(s => s.Id == id, cancellationToken);
        var secret = NewSecret();
        site.ReplaceSecret(_secrets.Protect(secret));
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    public async Task DisableAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.EmbedSites.FirstAsync(s => s.Id == id, cancellationToken);
        site.Disable(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Creates or updates the sites named in configuration (Development's <c>demo</c>); configuration wins.</summary>
    public async Task SeedFromConfigurationAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var (id, configured) in options.Value.Sites)
        {
            if (string.IsNullOrWhiteSpace(configured.Secret) || string.IsNullOrWhiteSpace(configured.AllowedOrigins))
            {
                continue;
            }

            var origins = configured.AllowedOrigins.Split([' ', ',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var site = await db.EmbedSites.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
            if (site is null)
            {
                site = EmbedSite.Create(id, configured.DisplayName ?? id, origins, _secrets.Protect(configured.Secret), clock.GetUtcNow());
                db.EmbedSites.Add(site);
            }
            else
            {
                site.ReplaceSecret(_secrets.Protect(configured.Secret));
            }

            site.Update(configured.DisplayName ?? id, origins, configured.PrimaryColor, configured.LogoUrl, configured.DarkMode);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embed link for site {SiteId} refused: {Outcome}")]
    private partial void LogRefused(string siteId, EmbedOpenOutcome outcome);
}
