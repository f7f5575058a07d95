using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddPreferenceCenter();

var app = builder.Build();
app.RefuseUnsafeSettings(args);

await app.Services.MigrateDatabaseAsync();
await app.Services.EnsureStaffRolesAsync();
if (CommandLineVerbs.Handles(args))
{
    return await CommandLineVerbs.RunAsync(app.Services, args);
}

app.UsePreferenceCenterPipeline();
app.MapPreferenceCenter();
app.AnnounceUrlsOnStart();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
