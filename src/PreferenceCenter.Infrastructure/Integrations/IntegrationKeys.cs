using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Integrations;

public sealed record IntegrationCreated(Integration Integration, string Key);

/// <summary>
/// Integrations and their API keys: <c>pc_&lt;prefix&gt;_&lt;secret&gt;</c>, stored as a SHA-256 hash and found by prefix.
/// </summary>
public sealed class IntegrationKeys(IDbContextFactory<PreferenceCenterDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IntegrationCreated> CreateAsync(string name, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = $"pc_{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var integration = Integration.Create(name, scopes, prefix, Hash(key), clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(cancellationToken);
        return new IntegrationCreated(integration, key);
    }

    public async Task<IReadOnlyList<Integration>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Integrations.AsNoTracking().OrderBy(i => i.Name).ToListAsync(cancellationToken);
    }

    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var integration = await db.Integrations.FirstAsync(i => i.Id == id, cancellationToken);
        integration.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The active integration the key belongs to, or null (unknown, malformed or revoked).</summary>
    public async Task<Integration?> AuthenticateAsync(string? key, CancellationToken cancellationToken = default)
    {
        var parts = key?.Split('_', 3);
        if (parts is not ["pc", { Length: 12 } prefix, { Length: > 0 }])
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var integration = await db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.KeyPrefix == prefix, cancellationToken);
        var matches = integration is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(integration.KeyHash), Encoding.ASCII.GetBytes(Hash(key!)));
        return matches && integration!.RevokedAt is null ? integration : null;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
