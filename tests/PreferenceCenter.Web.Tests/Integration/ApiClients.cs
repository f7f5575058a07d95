using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Infrastructure.Integrations;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>Another system calling /api/v1: an integration key made as an admin makes one, and a client that sends it.</summary>
internal static class ApiClients
{
    /// <summary>A fresh key with these scopes, under a name no other test uses.</summary>
    public static async Task<string> NewKeyAsync(WebApplicationFactory<Program> app, params string[] scopes) =>
        (await app.Services.GetRequiredService<IntegrationKeys>().CreateAsync($"CRM {Guid.NewGuid():N}"[..20], scopes)).Key;

    /// <summary>A client with a fresh key of these scopes.</summary>
    public static async Task<HttpClient> WithNewKeyAsync(WebApplicationFactory<Program> app, params string[] scopes) =>
        For(app, await NewKeyAsync(app, scopes));

    /// <summary>A client that sends <paramref name="key"/> with every request (no key at all when null).</summary>
    public static HttpClient For(WebApplicationFactory<Program> app, string? key, WebApplicationFactoryClientOptions? options = null)
    {
        var client = options is null ? app.CreateClient() : app.CreateClient(options);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }
}
