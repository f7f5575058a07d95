using FsCheck.Xunit;
using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Tests;

public class SmsLookAlikeTests
{
    [Theory]
    [InlineData("S\u0422\u041E\u0420")] // SТОР: Cyrillic Te, O, Er
    [InlineData("\u0405\u0422\u041E\u0420")] // ЅТОР: all Cyrillic
    [InlineData("\u0455\u0442\u043E\u0440")] // ѕтор: lower-case Cyrillic
    [InlineData("\u03A3\u03A4\u039F\u03A1")] // ΣΤΟΡ has a Sigma, not an S: must not match (checked below), here as a control
    [InlineData("S T O P")]
    [InlineData("s  t  o  p")]
    [InlineData("S-T-O-P")]
    [InlineData("Ｓ Ｔ Ｏ Ｐ")]
    [InlineData("\U0001D412\U0001D413\U0001D40E\U0001D40F")] // mathematical bold STOP
    [InlineData("\u24C8\u24C9\u24C4\u24C5")] // circled STOP
    [InlineData("\u0421\u0410\u039D\u0421\u0415L")] // CANCEL with Cyrillic and Greek letters
    [InlineData("Q U I T")]
    public void Classify_OptsOut_WhenTheMessageIsAnOptOutKeywordWrittenWithLookAlikeLetters(string body)
    {
        var expected = body.StartsWith('\u03A3') ? SmsIntent.None : SmsIntent.OptOut;
        Assert.Equal(expected, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("S T O P A L L")]
    [InlineData("\u0405\u0422\u041E\u0420ALL")]
    public void Classify_OptsOutOfEverything_WhenStopAllIsWrittenWithLookAlikes(string body)
    {
        Assert.Equal(SmsIntent.OptOutAll, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("St0p")]
    [InlineData("5TOP")]
    [InlineData("$T0P")]
    [InlineData("QU1T")]
    [InlineData("3ND")]
    [InlineData("S T 0 P")]
    [InlineData("please s\u0442op texting")]
    [InlineData("pls st0p")]
    public void Classify_QueuesForReview_WhenOnlyDigitsForLettersOrALongerMessageMakeItAStop(string body)
    {
        Assert.Equal(SmsIntent.PossibleOptOut, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("\u0405\u0422\u0410RT")] // ЅТАRT
    [InlineData("S T A R T")]
    [InlineData("Y E S")]
    [InlineData("\u03A5\u0395S")] // ΥΕS
    [InlineData("H E L P")]
    [InlineData("J O I N")]
    [InlineData("\u0408\u039FIN")] // ЈΟIN
    public void Classify_NeverTakesALookAlikeAsConsentOrHelp(string body)
    {
        Assert.DoesNotContain(SmsKeywords.Classify(body), new[] { SmsIntent.OptIn, SmsIntent.Confirm, SmsIntent.Join, SmsIntent.Help });
    }

    [Theory]
    [InlineData("Спасибо")]
    [InlineData("Καλημέρα")]
    [InlineData("See you at 10")]
    [InlineData("I O U one")]
    [InlineData("A B C")]
    public void Classify_LeavesOrdinaryMessagesAlone_InOtherScriptsAndWithSingleLetters(string body)
    {
        Assert.Equal(SmsIntent.None, SmsKeywords.Classify(body));
    }

    // Any mix of Latin and look-alike letters of S, T, O, P (any case, spaced or not) is a stop.
    [Property]
    public bool Classify_OptsOut_ForEveryLookAlikeSpellingOfStop(byte s, byte t, byte o, byte p, bool spaced)
    {
        string[] ss = ["S", "s", "\u0405", "\u0455", "Ｓ"];
        string[] ts = ["T", "t", "\u0422", "\u0442", "\u03A4", "\u03C4"];
        string[] os = ["O", "o", "\u041E", "\u043E", "\u039F", "\u03BF", "Ｏ"];
        string[] ps = ["P", "p", "\u0420", "\u0440", "\u03A1", "\u03C1"];
        var letters = new[] { ss[s % ss.Length], ts[t % ts.Length], os[o % os.Length], ps[p % ps.Length] };
        return SmsKeywords.Classify(string.Join(spaced ? " " : string.Empty, letters)) == SmsIntent.OptOut;
    }
}
