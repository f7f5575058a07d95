using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Integrations;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>Verified API keys are remembered briefly (ADR 14); a revocation must still bite.</summary>
public sealed class IntegrationKeyCacheTests
{
    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Authenticate_RefusesAKeyAtOnce_WhenThisInstanceRevokedItAfterUsingIt(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var keys = database.Services.GetRequiredService<IntegrationKeys>();
        var created = await keys.CreateAsync("CRM", [ApiScopes.ConsentsRead]);
        Assert.NotNull(await keys.AuthenticateAsync(created.Key));

        await keys.RevokeAsync(created.Integration.Id);

        Assert.Null(await keys.AuthenticateAsync(created.Key));
    }

    [Fact]
    public async Task Authenticate_TrustsAKeyFromMemoryUntilTheCacheTimeEnds_WhenAnotherInstanceRevokedIt()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Api:KeyCacheSeconds"] = "30" });
        var keys = database.Services.GetRequiredService<IntegrationKeys>();
        var created = await keys.CreateAsync("CRM", [ApiScopes.ConsentsRead]);
        Assert.NotNull(await keys.AuthenticateAsync(created.Key));

        // Another instance revokes it: this one only sees the database change after its cache time.
        await using (var db = await database.OpenAsync())
        {
            (await db.Integrations.SingleAsync()).Revoke(database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        database.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await keys.AuthenticateAsync(created.Key));
        database.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await keys.AuthenticateAsync(created.Key));
    }

    [Theory]
    [ClassData(typeof(BothProviders))]
    public async Task Authenticate_NeverTrustsAWrongSecret_WhenItsPrefixBelongsToACachedKey(TestProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var keys = database.Services.GetRequiredService<IntegrationKeys>();
        var created = await keys.CreateAsync("CRM", [ApiScopes.ConsentsRead]);
        Assert.NotNull(await keys.AuthenticateAsync(created.Key));

        Assert.Null(await keys.AuthenticateAsync(created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A')));
    }
}
