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
