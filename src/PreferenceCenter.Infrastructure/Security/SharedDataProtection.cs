namespace PreferenceCenter.Infrastructure.Security;

/// <summary>
/// Data Protection (auth cookies, antiforgery tokens, embed and webhook secrets) with its key ring in the database, so
/// every instance on that database reads and writes one ring (ADR 19); registered by <see cref="DependencyInjection"/>.
/// </summary>
public static class SharedDataProtection
{
    /// <summary>Instances share protected payloads only when they share this name as well as the keys.</summary>
    public const string ApplicationName = "PreferenceCenter";
}
