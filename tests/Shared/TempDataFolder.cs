using Microsoft.Data.Sqlite;

namespace PreferenceCenter.Testing;

/// <summary>
/// A fresh data folder with a real SQLite file for one test (or fixture): the settings that point the app at it,
/// and clean-up that releases pooled connections before deleting.
/// </summary>
public sealed class TempDataFolder : IDisposable
{
    public TempDataFolder(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "preferencecenter-tests", purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "preferencecenter.db");

    /// <summary>Configuration that makes the app use this folder and file.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Storage:DataFolder"] = Path,
        ["ConnectionStrings:PreferenceCenter"] = $"Data Source={DatabasePath}",
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
