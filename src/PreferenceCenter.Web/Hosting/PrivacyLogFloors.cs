using Microsoft.Extensions.Options;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// Framework log categories that write what people typed or sent, held at a level where they do not, whatever the
/// configured levels say (found by LogPrivacyTests with every category at Trace):
/// <list type="bullet">
/// <item>SignalR logs each hub invocation with its arguments at Debug: a Blazor circuit's input events carry the
/// phone number and the code as the customer types them.</item>
/// <item>Hosting logs each request's URL with its query string at Information: the API's consent check takes the
/// number there. (For request logs, use the HTTP logging middleware with the query string left out.)</item>
/// </list>
/// </summary>
internal static class PrivacyLogFloors
{
    internal static readonly (string Category, LogLevel Minimum)[] Floors =
    [
        ("Microsoft.AspNetCore.SignalR", LogLevel.Information),
        ("Microsoft.AspNetCore.Http.Connections", LogLevel.Information),
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning),
    ];

    /// <summary>
    /// A provider-specific rule always beats a general one, so the floor is added for every provider the rules name as
    /// well as for all of them; a rule naming a longer category than the floor's (a deliberate choice) still wins.
    /// </summary>
    internal sealed class ApplyFloors : IPostConfigureOptions<LoggerFilterOptions>
    {
        public void PostConfigure(string? name, LoggerFilterOptions options)
        {
            var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
            foreach (var provider in providers)
            {
                foreach (var (category, minimum) in Floors)
                {
                    // Added last, so it also beats a rule for exactly this category (the later of two equals wins).
                    options.Rules.Add(new LoggerFilterRule(provider, category, minimum, filter: null));
                }
            }
        }
    }
}
