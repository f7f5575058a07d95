using MudBlazor;

namespace PreferenceCenter.Web.Features.Common;

internal static class PreferenceCenterTheme
{
    // Colours chosen for WCAG AA contrast on white.
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e8c",
            Secondary = "#6a3d9a",
            Error = "#b00020",
            Success = "#1b6e3a",
        },
    };

    /// <summary>The app's theme with an embed site's primary colour.</summary>
    public static MudTheme ForSite(string? primaryColor) => primaryColor is null ? Theme : new()
    {
        PaletteLight = new PaletteLight { Primary = primaryColor, Secondary = "#6a3d9a", Error = "#b00020", Success = "#1b6e3a" },
        PaletteDark = new PaletteDark { Primary = primaryColor },
    };
}
