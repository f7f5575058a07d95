using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// Data Protection (auth cookies, antiforgery tokens, embed and webhook secrets) with its key ring in the database, so
/// every instance on that database reads and writes one ring (ADR 0019).
/// </summary>
public static class SharedDataProtection
{
    /// <summary>Instances share protected payloads only when they share this name as well as the keys.</summary>
    public const string ApplicationName = "PreferenceCenter";

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
}
