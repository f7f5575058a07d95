using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure.Localization;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// The wording of every text message we send, in the customer's language (SmsTexts.resx, SmsTexts.es.resx). A text
/// is not answered in a browser, so the language is looked up explicitly instead of taken from a request.
/// </summary>
public sealed class SmsTexts(IStringLocalizer<SmsTexts> localizer, IOptions<LanguageOptions> options, PurposeRegistry purposeRegistry)
{
    /// <summary>The configured default language, for a number no customer has told us a language for.</summary>
    public string DefaultLanguage => options.Value.DefaultLanguage;

    /// <summary>One text in <paramref name="language"/> (the default when it is not one of ours).</summary>
    public string Format(string? language, string key, params object[] arguments)
    {
        var culture = CultureInfo.GetCultureInfo(Languages.Match(language) ?? DefaultLanguage);

        // The localizer reads the UI culture; set it only for this synchronous lookup.
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var text = localizer[key];
            return arguments.Length == 0 ? text.Value : string.Format(culture, text.Value, arguments);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>"promotional texts", "all our texts"… in <paramref name="language"/>.</summary>
    public string Describe(string? language, IReadOnlyCollection<Purpose> purposes)
    {
        var catalog = purposeRegistry.Current;
        return purposes.Count >= catalog.All.Count
            ? Format(language, "PurposesAll")
            : string.Join(Format(language, "PurposesAnd"), purposes.Select(p => catalog.Contains(p) ? catalog.Definition(p).Phrase(Languages.Match(language) ?? DefaultLanguage) : p.Key));
    }

    /// <summary>
    /// The "you're subscribed" confirmation the CTIA asks for: brand, what, how often, rates, HELP and STOP; then the
    /// manage link when there is one. Two segments at most.
    /// </summary>
    public string Subscribed(string? language, string businessName, Purpose purpose, string? link)
    {
        var definition = purposeRegistry.Current.Definition(purpose);
        var lang = Languages.Match(language) ?? DefaultLanguage;
        return WithLink(language, Format(language, "Subscribed", businessName, definition.Phrase(lang), definition.Frequency(lang)), link);
    }

    /// <summary>The HELP reply: brand, where to get help, how often the number's texts come, rates and STOP.</summary>
    public string Help(string? language, string businessName, string supportContact, IReadOnlyCollection<Purpose> purposes, string? link)
    {
        var lang = Languages.Match(language) ?? DefaultLanguage;
        var catalog = purposeRegistry.Current;
        var known = purposes.Where(catalog.Contains).ToList();
        var frequency = known.Count == 1 ? Capitalised(catalog.Definition(known[0]).Frequency(lang), lang) : Format(language, "FrequencyVaries");
        return WithLink(language, Format(language, "HelpReply", businessName, supportContact, frequency), link);
    }

    private string WithLink(string? language, string text, string? link) =>
        string.IsNullOrEmpty(link) ? text : text + Format(language, "ManageSuffix", link);

    private static string Capitalised(string text, string language) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.GetCultureInfo(language)) + text[1..];

    /// <summary>
    /// The once-only notice that a text the customer agreed to changed materially: plain information with the link to
    /// their page, no marketing (ADR 0016).
    /// </summary>
    public string TextChangeNotice(string? language, string businessName, Purpose purpose, string link) =>
        Format(language, "TextChangeNotice", businessName, Describe(language, [purpose]), link);

    /// <summary>
    /// The language of whoever has this number: the one they chose on their page, else the one their latest change on
    /// a page was made in, else the default.
    /// </summary>
    public async Task<string> LanguageForAsync(PreferenceCenterDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (customerIds.Count == 0)
        {
            return DefaultLanguage;
        }

        var chosen = await db.Customers.Where(c => customerIds.Contains(c.Id) && c.PreferredLanguage != null).Select(c => c.PreferredLanguage).FirstOrDefaultAsync(cancellationToken);
        if (Languages.Match(chosen) is { } language)
        {
            return language;
        }

        var recorded = await db.ConsentEvents.Where(e => customerIds.Contains(e.CustomerId) && e.Locale != null)
            .OrderByDescending(e => e.Sequence).Select(e => e.Locale).FirstOrDefaultAsync(cancellationToken);
        return Languages.Match(recorded) ?? DefaultLanguage;
    }
}
