using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddRepositorySettings();
builder.AddPreferenceCenterCore();
builder.AddPreferenceCenterIdentity();
builder.AddPreferenceCenterUi();

var app = builder.Build();

await app.Services.MigrateDatabaseAsync();
app.UsePreferenceCenterPipeline();
app.MapPreferenceCenter();
app.AnnounceUrlsOnStart();

await app.RunAsync();

/// <summary>Entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
