using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>Where the app keeps its files: the SQLite database and generated development keys.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Absolute, or relative to <see cref="BasePath"/>.</summary>
    [Required]
    public string DataFolder { get; set; } = "data";

    /// <summary>Set by the host: the folder relative data paths start from (the repository root in Development).</summary>
    public string? BasePath { get; set; }

    public string ResolveDataFolder() =>
        Path.GetFullPath(Path.IsPathRooted(DataFolder) ? DataFolder : Path.Combine(BasePath ?? AppContext.BaseDirectory, DataFolder));
}

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    /// <summary><see cref="Sqlite"/> (one machine, a file in the data folder) or <see cref="Postgres"/> (several instances).</summary>
    [Required]
    [RegularExpression("^(?i:Sqlite|Postgres)$", ErrorMessage = "Database:Provider must be 'Sqlite' (the default) or 'Postgres'.")]
    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);
}
