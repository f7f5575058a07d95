using Microsoft.Extensions.Localization;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Web.Features.ConsentTexts;

/// <summary>Customer-facing words of the "terms changed" notice (TextChangeStrings.resx, TextChangeStrings.es.resx).</summary>
public sealed class TextChangeStrings;

internal static class TextChangeWords
{
    // Whole sentences per purpose: Spanish needs its own articles and word order around the purpose's name.

    /// <summary>Announced after "keep" was saved.</summary>
    public static string Kept(this IStringLocalizer<TextChangeStrings> l, Purpose purpose) => l[$"Kept_{purpose}"];

    /// <summary>Announced after "stop" was saved.</summary>
    public static string Withdrawn(this IStringLocalizer<TextChangeStrings> l, Purpose purpose) => l[$"Withdrawn_{purpose}"];
}
