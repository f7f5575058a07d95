using Microsoft.Extensions.Configuration.Json;

namespace PreferenceCenter.Web.Hosting;

internal static class RepositorySettings
{
    public const string SolutionFile = "PreferenceCenter.sln";

    /// <summary>
    /// <c>dotnet run --project src/PreferenceCenter.Web</c> uses the project folder as content root, so the repository's
    /// own <c>appsettings.Development.json</c> would be ignored. Add it (Development only) right after the project's
    /// JSON files, so environment variables, user secrets and the command line still win; and anchor relative data
    /// paths at the repository root.
    /// </summary>
    public static WebApplicationBuilder AddRepositorySettings(this WebApplicationBuilder builder)
    {
        var root = FindRepositoryRoot(builder.Environment.ContentRootPath);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = [new("Storage:BasePath", root ?? builder.Environment.ContentRootPath)],
        });

        var rootSettings = root is null ? null : Path.Combine(root, $"appsettings.{builder.Environment.EnvironmentName}.json");
        if (builder.Environment.IsDevelopment() && rootSettings is not null && File.Exists(rootSettings))
        {
            var sources = builder.Configuration.Sources;
            var lastJson = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i;
            var index = sources.Any(s => s is JsonConfigurationSource) ? lastJson + 1 : sources.Count;
            // Reloads like the host's own appsettings files (hostBuilder:reloadConfigOnChange; tests turn it off).
            var reload = builder.Configuration.GetValue("hostBuilder:reloadConfigOnChange", defaultValue: true);
            var source = new JsonConfigurationSource { Path = Path.GetFileName(rootSettings), Optional = false, ReloadOnChange = reload };
            source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root!);
            sources.Insert(index, source);
        }

        return builder;
    }

    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
