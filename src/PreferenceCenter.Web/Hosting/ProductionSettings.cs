using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// Outside Development the app refuses to serve with settings that only suit a developer's machine (ADR 26): server
/// keys generated next to the database, texts written to the development outbox instead of being sent, and a Data
/// Protection key ring stored unencrypted. One message names every key to fix; nothing is migrated or generated first.
/// </summary>
internal static class ProductionSettings
{
    /// <summary>Throws, naming every setting to fix, before anything is migrated or served.</summary>
    /// <remarks>The command-line verbs (<c>ledger verify</c>, <c>users create</c>) serve nothing and are not held to this.</remarks>
    public static WebApplication RefuseUnsafeSettings(this WebApplication app, string[] args)
    {
        var problems = Problems(app.Configuration, app.Environment, app.Services.GetRequiredService<KeyRingCertificate>());
        if (problems.Count > 0 && !CommandLineVerbs.Handles(args))
        {
            throw new InvalidOperationException(
                $"PreferenceCenter will not start in {app.Environment.EnvironmentName} with these settings:{Environment.NewLine}"
                + string.Join(Environment.NewLine, problems.Select(p => " - " + p))
                + $"{Environment.NewLine}Set them through the environment or a secret store (README, \"Production settings\").");
        }

        return app;
    }

    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment, KeyRingCertificate certificate)
    {
        var problems = new List<string>();
        if (certificate.Problem is { } unusable)
        {
            problems.Add(unusable);
        }

        if (environment.IsDevelopment())
        {
            return problems;
        }

        foreach (var name in KeyFingerprints.Names)
        {
            var key = $"Secrets:{name}";
            if (string.IsNullOrWhiteSpace(configuration[key]))
            {
                problems.Add($"{key} is not set: give every instance the same random key (at least 32 bytes, base64); it is never generated outside Development.");
            }
            else if (!IsKey(configuration[key]!))
            {
                problems.Add($"{key} must be base64 of at least 32 random bytes.");
            }
        }

        var provider = configuration["Sms:Provider"];
        if (string.IsNullOrWhiteSpace(provider) || string.Equals(provider, "Outbox", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("Sms:Provider is 'Outbox': verification codes and replies would never leave the database. Set it to 'Twilio' with Sms:Twilio:*.");
        }

        // Checkpoints are signed with a published key (ADR 37): one key for every instance, never one generated per host.
        if (string.IsNullOrWhiteSpace(configuration["Secrets:ledger-signing-key"]))
        {
            problems.Add("Secrets:ledger-signing-key is not set: give every instance the same ECDSA P-256 private key (PKCS#8 DER, base64); its public key is published at /.well-known/consent-ledger-keys.");
        }

        // Texts carry manage links (ADR 22): without a public https address they would point nowhere, or at plain http.
        var publicAddress = configuration["Sms:PublicBaseUrl"] is { Length: > 0 } configured ? configured : configuration["ConsentTexts:PreferencesUrl"];
        if (!Uri.TryCreate(publicAddress, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add("Sms:PublicBaseUrl (or ConsentTexts:PreferencesUrl) is not an https address: the manage links in texts need the site's public address, for example https://prefs.example.com.");
        }

        if (certificate.Certificate is null && certificate.Problem is null)
        {
            problems.Add($"{KeyRingCertificate.PathKey} is not set: the Data Protection key ring (sign-in cookies, embed and webhook secrets) would sit unencrypted in the database. Give a PFX with its private key, and {KeyRingCertificate.PasswordKey}.");
        }

        return problems;
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= 32;
    }
}
