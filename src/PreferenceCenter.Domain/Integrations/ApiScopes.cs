namespace PreferenceCenter.Domain.Integrations;

/// <summary>What an integration's key may do.</summary>
public static class ApiScopes
{
    public const string ConsentsRead = "consents:read";
    public const string ConsentsWrite = "consents:write";
    public const string Import = "import";

    public static IReadOnlyList<string> All { get; } = [ConsentsRead, ConsentsWrite, Import];
}
