using System.Runtime.CompilerServices;

namespace PreferenceCenter.Testing;

/// <summary>
/// The test hosts never reload appsettings files, so they do not watch them. Each watcher is an inotify instance, and
/// Linux allows a user 128 of them: dozens of app hosts alive at once in one test run (and their child processes, which
/// inherit the variable) would otherwise run out and fail to start.
/// </summary>
internal static class NoConfigFileWatchers
{
    [ModuleInitializer]
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange") is null)
        {
            Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        }
    }
}
