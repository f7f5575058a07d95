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
}
