using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.OptIns;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.OptInCodes;

/// <summary>Customer-facing poster words (OptInCodeStrings.resx, OptInCodeStrings.es.resx).</summary>
public sealed class OptInCodeStrings;

/// <summary>Where the number on a purpose's poster comes from.</summary>
public enum OptInNumberSource
{
    /// <summary>The purpose's own sending number (on the purpose, or <c>Sms:SendingNumbers</c>).</summary>
    OwnNumber,

    /// <summary>No number of its own: the default sender (<c>Sms:Twilio:DefaultFromE164</c>).</summary>
    DefaultSender,

    /// <summary>No number at all: there is nothing to text yet.</summary>
    None,
}

/// <summary>
/// What a poster for one purpose tells people to text, and where. <see cref="Covers"/> is what that text really asks
/// about: a purpose's own keyword asks about it alone, JOIN asks about every purpose sent from the number.
/// </summary>
public sealed record OptInCode(
    Purpose Purpose,
    string Name,
    string Keyword,
    bool OwnKeyword,
    string? NumberE164,
    OptInNumberSource Source,
    string? InternationalNumber,
    string? LocalNumber,
    IReadOnlyList<Purpose> Covers)
{
    /// <summary>RFC 5724: <c>sms:+447700900002?body=JOIN</c>; null without a number.</summary>
    public string? SmsLink => NumberE164 is null ? null : $"sms:{NumberE164}?body={Uri.EscapeDataString(Keyword)}";

    public string AltText => $"QR code: text {Keyword} to {InternationalNumber}";

    /// <summary>The image's address; a file name such as <c>opt-in-promotions-join.png</c> comes with it.</summary>
    public string ImagePath(string format) => $"admin/opt-in-codes/{Purpose.Key}.{format}";

    public string FileName(string format) => $"opt-in-{Purpose.Key.ToLowerInvariant()}-{Keyword.ToLowerInvariant()}.{format}";
}

/// <summary>A poster's words in one language.</summary>
public sealed record OptInPosterText(string Language, string Headline, string Disclosure, string? Terms, string QrAlt);

/// <summary>
/// The opt-in codes and poster words for every purpose (ADR 35). Built from the services already registered
/// (<see cref="Create"/>), so the feature adds no registration of its own.
/// </summary>
public sealed class OptInCodeBook(
    PurposeRegistry purposes,
    OptInRequests optIns,
    SmsTexts texts,
    IOptions<SmsOptions> sms,
    IOptions<ConsentTextOptions> consentTexts,
    IOptions<PhoneOptions> phones,
    IConfiguration configuration,
    IStringLocalizer<OptInCodeStrings> localizer)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static OptInCodeBook Create(IServiceProvider services) => ActivatorUtilities.CreateInstance<OptInCodeBook>(services);

    public string BusinessName => sms.Value.BusinessName;

    /// <summary>The default sender, when one is configured.</summary>
    public string? DefaultSender => configuration["Sms:Twilio:DefaultFromE164"] is { Length: > 0 } number ? number.Trim() : null;

    /// <summary>The customer's page (terms and privacy): <c>ConsentTexts:PreferencesUrl</c>, else <c>Sms:PublicBaseUrl</c>/preferences.</summary>
    public string? TermsUrl =>
        consentTexts.Value.PreferencesUrl is { Length: > 0 } url ? url
        : sms.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? baseUrl.TrimEnd('/') + "/preferences"
        : null;

    /// <summary>"Account alerts, Promotions and Surveys": the staff pages' names in a sentence.</summary>
    public string NamesOf(IReadOnlyList<Purpose> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var names = list.Select(purposes.DisplayName).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    public IReadOnlyList<OptInCode> All() => [.. purposes.Current.All.Select(For)];

    public OptInCode? Find(string? key) => purposes.Current.TryParse(key, out var purpose) ? For(purpose) : null;

    public OptInCode For(Purpose purpose)
    {
        var keyword = optIns.FirstKeyword(purpose);
        var own = optIns.PurposeForKeyword(keyword) == purpose;
        var number = purposes.SendingNumberFor(purpose);
        var source = number is not null ? OptInNumberSource.OwnNumber : DefaultSender is not null ? OptInNumberSource.DefaultSender : OptInNumberSource.None;
        number ??= DefaultSender;
        IReadOnlyList<Purpose> covers = own || number is null ? [purpose] : purposes.PurposesSentFrom(number);
        return new OptInCode(purpose, purposes.DisplayName(purpose), keyword, own, number, source, number is null ? null : Format(number, PhoneNumberFormat.INTERNATIONAL), number is null ? null : Local(number), covers);
    }

    /// <summary>The poster in <paramref name="language"/>: brand, what, how often, rates, HELP, STOP, terms (CTIA).</summary>
    public OptInPosterText Poster(OptInCode code, string language)
    {
        ArgumentNullException.ThrowIfNull(code);
        var lang = Languages.Match(language) ?? Languages.English;
        var catalog = purposes.Current;
        var frequency = code.Covers.Count == 1 && catalog.Contains(code.Covers[0])
            ? Capitalised(catalog.Definition(code.Covers[0]).Frequency(lang), lang)
            : texts.Format(lang, "FrequencyVaries");
        var number = code.LocalNumber ?? string.Empty;
        return new OptInPosterText(
            lang,
            Word(lang, "Headline", code.Keyword, number),
            Word(lang, "Disclosure", BusinessName, code.Keyword, number, texts.Describe(lang, code.Covers), frequency),
            TermsUrl is { } url ? Word(lang, "Terms", url) : null,
            Word(lang, "QrAlt", code.Keyword, number));
    }

    private string Word(string language, string key, params object[] arguments)
    {
        var culture = CultureInfo.GetCultureInfo(language);

        // The localizer reads the UI culture; both languages are shown on one page, so set it for this lookup only.
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return string.Format(culture, localizer[key].Value, arguments);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>National form (07700 900002) when the number is of the installation's own country, else international.</summary>
    private string Local(string e164)
    {
        var home = Util.GetCountryCodeForRegion(phones.Value.DefaultRegion?.ToUpperInvariant());
        return TryParse(e164) is { } parsed && parsed.CountryCode == home ? Util.Format(parsed, PhoneNumberFormat.NATIONAL) : Format(e164, PhoneNumberFormat.INTERNATIONAL);
    }

    // Sending numbers are checked for their E.164 shape only (test numbers libphonenumber rejects): show those as they are.
    private static string Format(string e164, PhoneNumberFormat format) => TryParse(e164) is { } parsed ? Util.Format(parsed, format) : e164;

    private static PhoneNumbers.PhoneNumber? TryParse(string e164)
    {
        try
        {
            return Util.Parse(e164, null);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static string Capitalised(string text, string language) =>
        text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.GetCultureInfo(language)) + text[1..];
}
