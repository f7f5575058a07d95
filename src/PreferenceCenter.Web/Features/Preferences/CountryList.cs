using System.Globalization;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Web.Features.Preferences;

internal static class CountryList
{
    public static IReadOnlyList<(string Region, string Label)> All { get; } = PhoneNumber.SupportedRegions()
        .Select(r => (r.Region, Label: $"{Name(r.Region)} (+{r.CallingCode})"))
        .OrderBy(c => c.Label, StringComparer.CurrentCulture)
        .ToList();

    private static string Name(string region)
    {
        try
        {
            return new RegionInfo(region).EnglishName;
        }
        catch (ArgumentException)
        {
            return region;
        }
    }
}
