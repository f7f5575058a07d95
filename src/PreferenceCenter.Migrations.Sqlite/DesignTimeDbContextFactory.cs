using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PreferenceCenterDbContext>
{
    public PreferenceCenterDbContext CreateDbContext(string[] args)
    {
        // Identity shapes its tables (passkeys, schema v3) from IdentityOptions in the application services.
        var services = new ServiceCollection().AddPreferenceCenterIdentityStoreOptions().BuildServiceProvider();
        return new(new DbContextOptionsBuilder<PreferenceCenterDbContext>()
            .UseSqlite("Data Source=design-time.db", b => b.MigrationsAssembly(DependencyInjection.SqliteMigrationsAssembly))
            .UseApplicationServiceProvider(services)
            .Options);
    }
}
