namespace PreferenceCenter.Web.Features.Common;

/// <summary>Customer-facing words of the site's frame: layout, navigation, language switch, error pages, start page.</summary>
public sealed class SharedStrings;
