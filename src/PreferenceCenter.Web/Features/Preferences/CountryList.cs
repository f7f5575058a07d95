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
        // A region of "<language>-<region>" names itself in that language (ICU): "es-GB" is "Reino Unido".
        foreach (var name in new[] { $"{culture.TwoLetterISOLanguageName}-{region}", region })
        {
            try
            {
                return new RegionInfo(name).NativeName;
            }
            catch (ArgumentException)
            {
                // Not a culture ICU knows: try the region alone, then show the code.
            }
        }

        return region;
    }
}
