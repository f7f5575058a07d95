using MudBlazor;

namespace PreferenceCenter.Web.Features.Common;

internal static class PreferenceCenterTheme
{
    // Colours chosen for WCAG AA contrast: the light ones on white, the dark ones on the dark background (with dark
    // text on filled buttons, which light colours need).
    private static PaletteLight Light(string primary) => new()
    {
        Primary = primary,
        Secondary = "#6a3d9a",
        Error = "#b00020",
        Success = "#1b6e3a",
    };

    private static PaletteDark Dark(string primary, string primaryText) => new()
    {
        Primary = primary,
        PrimaryContrastText = primaryText,
        Secondary = "#d7b8f3",
        SecondaryContrastText = "#1c1c1c",
        Error = "#ffb4ab",
        ErrorContrastText = "#1c1c1c",
        Success = "#8fd6a3",
        SuccessContrastText = "#1c1c1c",
        Info = "#9ecaff",
        InfoContrastText = "#1c1c1c",
        Warning = "#ffcc80",
        WarningContrastText = "#1c1c1c",
        Background = "#121212",
        Surface = "#1e1e1e",
        AppbarBackground = "#1e1e1e",
        DrawerBackground = "#1e1e1e",
        TextPrimary = "#ececec",
        TextSecondary = "#c8c8c8",
        ActionDefault = "#d6d6d6",
        LinesDefault = "#5c5c5c",
        LinesInputs = "#a0a0a0",
        TableLines = "#5c5c5c",
        TableStriped = "#ffffff0d",
        Divider = "#5c5c5c",
    };

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = Light("#1f4e8c"),
        PaletteDark = Dark("#9ecaff", "#0b1d33"),
    };

    /// <summary>The app's theme with an embed site's primary colour.</summary>
    public static MudTheme ForSite(string? primaryColor) => primaryColor is null ? Theme : new()
    {
        PaletteLight = Light(primaryColor),
        PaletteDark = Dark(primaryColor, "#ffffff"),
    };
}
