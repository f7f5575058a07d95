using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PreferenceCenter.Infrastructure.Persistence;

public static class DatabaseInitializer
{
    /// <summary>
    /// Applies pending migrations (the provider's own set: ADR 0018) and switches SQLite to WAL (persistent in the
    /// file). On PostgreSQL, instances starting together queue on EF's migration lock. Refuses to go on with server
    /// keys other than the ones the database was set up with (<see cref="Security.KeyFingerprints"/>).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var file = db.Database.GetDbConnection().DataSource;
            if (!string.IsNullOrEmpty(file) && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
        await Security.KeyFingerprints.EnsureSameKeysAsync(db, services.GetRequiredService<Security.KeyStore>(), services.GetRequiredService<TimeProvider>(), cancellationToken);
        await services.GetRequiredService<Embedding.EmbedSites>().SeedFromConfigurationAsync(cancellationToken);
    }
}
