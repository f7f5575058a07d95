using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Health;

/// <summary>Ready = the database answers and every migration this build knows is applied.</summary>
public sealed class DatabaseReadyCheck(IDbContextFactory<PreferenceCenterDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database does not answer.");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable, migrations applied.")
                : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied, first {pending[0]}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's message can name paths or hosts: keep it in the server log, not the response.
            return HealthCheckResult.Unhealthy("The database check failed.", ex);
        }
    }
}
