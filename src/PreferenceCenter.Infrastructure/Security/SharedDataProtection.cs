using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// Data Protection (auth cookies, antiforgery tokens, embed and webhook secrets) with its key ring in the database, so
/// every instance on that database reads and writes one ring (ADR 0019).
/// </summary>
public static partial class SharedDataProtection
{
    /// <summary>Instances share protected payloads only when they share this name as well as the keys.</summary>
    public const string ApplicationName = "PreferenceCenter";

    /// <summary>Where keys lived before they moved into the database; read once to carry them over.</summary>
    public static string LegacyKeyFolder(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return Path.Combine(storage.ResolveDataFolder(), "keys", "data-protection");
    }

    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var certificate = KeyRingCertificate.Load(configuration);
        services.AddSingleton(certificate);
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<PreferenceCenterDbContext>();
        if (certificate.Certificate is { } cert)
        {
            // New keys are written encrypted to this certificate, and read back with it (keys written before stay readable).
            dataProtection.ProtectKeysWithCertificate(cert);
        }

        return services;
    }

    /// <summary>
    /// A database with no keys yet but a data folder with the old key files takes those keys, so cookies, tokens and
    /// the embed/webhook secrets protected before the upgrade still open. Runs at start-up after the migrations, under
    /// the write lock, so two instances starting together import once. The files are left where they were.
    /// </summary>
    public static async Task<int> ImportLegacyKeysAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var folder = new DirectoryInfo(LegacyKeyFolder(services.GetRequiredService<IOptions<StorageOptions>>().Value));
        if (!folder.Exists)
        {
            return 0;
        }

        var files = folder.GetFiles("*.xml");
        if (files.Length == 0)
        {
            return 0;
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.DataProtectionKeys.AnyAsync(cancellationToken))
        {
            return 0;
        }

        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = Path.GetFileNameWithoutExtension(file.Name), Xml = await File.ReadAllTextAsync(file.FullName, cancellationToken) });
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SharedDataProtection));
        LogImported(logger, files.Length, folder.FullName);
        return files.Length;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Count} Data Protection keys from {Folder} into the database; the files are no longer read")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
