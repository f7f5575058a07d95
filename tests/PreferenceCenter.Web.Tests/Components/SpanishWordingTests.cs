using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Web.Features.Preferences;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>Words that are built, not just looked up: plurals, country names, placeholders.</summary>
public sealed class SpanishWordingTests
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    [Fact]
    public void CountryList_NamesCountriesInThePagesLanguage()
    {
        Assert.Contains(("GB", "Reino Unido (+44)"), CountryList.For(Spanish));
        Assert.Contains(("DE", "Alemania (+49)"), CountryList.For(Spanish));
        Assert.Contains(("GB", "United Kingdom (+44)"), CountryList.For(CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void VerificationMessages_AreSpanish_WithSpanishPlurals_WhenThePageIsSpanish()
    {
        var l = Localizer();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Spanish;
        try
        {
            Assert.Equal("Ese código no es correcto. Te queda 1 intento.", VerificationMessages.For(l, new VerifyCodeResult(VerifyOutcome.WrongCode, 1)));
            Assert.Equal("Ese código no es correcto. Te quedan 3 intentos.", VerificationMessages.For(l, new VerifyCodeResult(VerifyOutcome.WrongCode, 3)));
            Assert.Equal("Escribe tu número de móvil.", l.PhoneError(PhoneNumberError.Empty));
            Assert.Equal("Ese número de teléfono no se puede usar.", l.PhoneError((PhoneNumberError)(-1)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static IStringLocalizer<PreferencesStrings> Localizer() =>
        new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider().GetRequiredService<IStringLocalizer<PreferencesStrings>>();
}
