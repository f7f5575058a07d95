using System.Collections.Concurrent;
using System.Globalization;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>The country picker's entries, named and sorted in the page's language.</summary>
internal static class CountryList
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<(string Region, string Label)>> ByCulture = new();

    public static IReadOnlyList<(string Region, string Label)> For(CultureInfo culture) => ByCulture.GetOrAdd(culture.Name, _ =>
        PhoneNumber.SupportedRegions()
            .Select(r => (r.Region, Label: $"{Name(r.Region, culture)} (+{r.CallingCode})"))
            .OrderBy(c => c.Label, StringComparer.Create(culture, ignoreCase: true))
            .ToList());

    private static string Name(string region, CultureInfo culture)
    {
        try
        {
            // RegionInfo names countries in the current UI culture (ICU); English is the fallback.
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = culture;
            try
            {
                return new RegionInfo(region).DisplayName;
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }
        catch (ArgumentException)
        {
            return region;
        }
    }
}
