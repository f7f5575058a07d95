using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace PreferenceCenter.Web.Features.Common;

/// <summary>Shows times in the browser's own time zone (asked once per circuit through JS interop).</summary>
public sealed partial class BrowserTime(IJSRuntime js, NavigationManager navigation, ILogger<BrowserTime> logger)
{
    private TimeZoneInfo? _zone;

    public TimeZoneInfo Zone => _zone ?? TimeZoneInfo.Utc;

    public bool IsKnown => _zone is not null;

    /// <summary>Call from OnAfterRenderAsync: JS interop is not available while prerendering.</summary>
    public async Task<bool> EnsureLoadedAsync()
    {
        if (_zone is not null)
        {
            return false;
        }

        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", navigation.BaseUri + "js/browser-time.js");
            var id = await module.InvokeAsync<string>("timeZone");
            _zone = !string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (JSException ex)
        {
            // Times then show in UTC, labelled as such: still correct, just less friendly.
            LogUnknownZone(logger, ex);
            _zone = TimeZoneInfo.Utc;
        }

        return true;
    }

    /// <summary>The moment in the browser's time zone, written the way the page's language writes dates and times.</summary>
    public string Format(DateTimeOffset utc)
    {
        var culture = CultureInfo.CurrentCulture;
        var local = TimeZoneInfo.ConvertTime(utc, Zone);
        return $"{local.ToString("d MMM yyyy", culture)}, {local.ToString("T", culture)} ({(Zone == TimeZoneInfo.Utc ? "UTC" : Zone.Id)})";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the browser's time zone; showing UTC")]
    private static partial void LogUnknownZone(ILogger logger, Exception exception);
}
