using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server or the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PreferenceCenterDbContext>
{
    public PreferenceCenterDbContext CreateDbContext(string[] args)
    {
        // Identity shapes its tables (passkeys, schema v3) from IdentityOptions in the application services.
        var services = new ServiceCollection().AddPreferenceCenterIdentityStoreOptions().BuildServiceProvider();
        var options = new DbContextOptionsBuilder<PreferenceCenterDbContext>().UseApplicationServiceProvider(services);
        options.UsePreferenceCenterDatabase(new DatabaseOptions { Provider = DatabaseOptions.Postgres }, "Host=localhost;Database=preferencecenter_design_time");
        return new(options.Options);
    }
}
