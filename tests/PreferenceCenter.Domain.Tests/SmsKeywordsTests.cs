using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Tests;

public class SmsKeywordsTests
{
    // Written out, not read from SmsKeywords, so dropping or moving a keyword there fails here.
    private static readonly (string Keyword, SmsIntent Intent)[] Keywords =
    [
        ("stop", SmsIntent.OptOut),
        ("unsubscribe", SmsIntent.OptOut),
        ("cancel", SmsIntent.OptOut),
        ("end", SmsIntent.OptOut),
        ("quit", SmsIntent.OptOut),
        ("revoke", SmsIntent.OptOut),
        ("optout", SmsIntent.OptOut),
        ("opt out", SmsIntent.OptOut),
        ("stopall", SmsIntent.OptOutAll),
        ("stop all", SmsIntent.OptOutAll),
        ("start", SmsIntent.OptIn),
        ("unstop", SmsIntent.OptIn),
        ("yes", SmsIntent.Confirm),
        ("si", SmsIntent.Confirm),
        ("join", SmsIntent.Join),
        ("subscribe", SmsIntent.Join),
        ("help", SmsIntent.Help),
        ("info", SmsIntent.Help),
    ];

    public static TheoryData<string, SmsIntent> KeywordVariants()
    {
        var data = new TheoryData<string, SmsIntent>();
        foreach (var (keyword, intent) in Keywords)
        {
            var capitalised = char.ToUpperInvariant(keyword[0]) + keyword[1..];
            data.Add(keyword, intent);
            data.Add(keyword.ToUpperInvariant(), intent);
            data.Add(capitalised, intent);
            data.Add(new string([.. keyword.Select((c, i) => i % 2 == 1 ? char.ToUpperInvariant(c) : c)]), intent);
            data.Add(capitalised + "!", intent);
            data.Add(keyword + ".", intent);
            data.Add(keyword.ToUpperInvariant() + "!!!", intent);
            data.Add("  " + keyword.ToUpperInvariant() + " ", intent);
            data.Add("\t" + capitalised + "\r\n", intent);
            data.Add(capitalised + " 🙏", intent);
            data.Add("\"" + keyword + "\"", intent);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeywordVariants))]
    public void Classify_ReturnsKeywordIntent_WhenWholeMessageIsTheKeyword(string body, SmsIntent expected)
    {
        Assert.Equal(expected, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("opt out", SmsIntent.OptOut)]
    [InlineData("opt-out", SmsIntent.OptOut)]
    [InlineData("Opt-Out!", SmsIntent.OptOut)]
    [InlineData("OPT_OUT", SmsIntent.OptOut)]
    [InlineData("opt   out", SmsIntent.OptOut)]
    [InlineData("opt - out", SmsIntent.OptOut)]
    [InlineData("opt\nout", SmsIntent.OptOut)]
    [InlineData("Opt out.", SmsIntent.OptOut)]
    [InlineData("stop all", SmsIntent.OptOutAll)]
    [InlineData("Stop-All", SmsIntent.OptOutAll)]
    [InlineData("STOP   ALL", SmsIntent.OptOutAll)]
    [InlineData("stop, all!", SmsIntent.OptOutAll)]
    [InlineData("stop\u00A0all", SmsIntent.OptOutAll)]
    public void Classify_MatchesMultiWordKeyword_WhenWrittenWithSpacesHyphensOrPunctuation(string body, SmsIntent expected)
    {
        Assert.Equal(expected, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("ＳＴＯＰ")]
    [InlineData("S\u200BTOP")]
    [InlineData("🛑STOP🛑")]
    [InlineData("❤️ stop ❤️")]
    [InlineData("“Stop”")]
    [InlineData("S.T.O.P.")]
    [InlineData("stop 👍🏽")]
    public void Classify_ReturnsOptOut_WhenStopIsDisguisedByUnicode(string body)
    {
        Assert.Equal(SmsIntent.OptOut, SmsKeywords.Classify(body));
    }

    [Fact]
    public void Classify_FoldsDottedCapitalI_WhenInfoIsTypedOnATurkishKeyboard()
    {
        Assert.Equal(SmsIntent.Help, SmsKeywords.Classify("İNFO"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Classify_DoesNotThrow_WhenUnicodeIsBroken(bool atStart)
    {
        // Built here, not in attributes: test-case serialisation would replace a lone surrogate with U+FFFD.
        var halfEmoji = new string((char)0xD83D, 1);
        var body = atStart ? halfEmoji + "STOP" : "stop " + halfEmoji;

        Assert.Equal(SmsIntent.OptOut, SmsKeywords.Classify(body));
    }

    // Decision: a message made only of opt-out keywords opts out; honouring a stop is safe and START undoes it.
    [Theory]
    [InlineData("STOP STOP", SmsIntent.OptOut)]
    [InlineData("stop. stop!", SmsIntent.OptOut)]
    [InlineData("Stop stop stop", SmsIntent.OptOut)]
    [InlineData("stop unsubscribe", SmsIntent.OptOut)]
    [InlineData("QUIT END", SmsIntent.OptOut)]
    [InlineData("STOPALL STOPALL", SmsIntent.OptOutAll)]
    [InlineData("stop stopall", SmsIntent.OptOutAll)]
    public void Classify_OptsOut_WhenMessageIsOnlyOptOutKeywords(string body, SmsIntent expected)
    {
        Assert.Equal(expected, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("please stop texting me")]
    [InlineData("don't text me")]
    [InlineData("Don’t text me")]
    [InlineData("don´t text me")]
    [InlineData("dont text me")]
    [InlineData("do not text me anymore")]
    [InlineData("remove me")]
    [InlineData("Please remove me from this list.")]
    [InlineData("take me off your list")]
    [InlineData("no more texts")]
    [InlineData("No more texts please!!")]
    [InlineData("arrêtez")]
    [InlineData("arretez")]
    [InlineData("ARRÊTEZ!")]
    [InlineData("Arrêt")]
    [InlineData("alto")]
    [InlineData("Alto!")]
    [InlineData("parar")]
    [InlineData("stopp")]
    [InlineData("basta")]
    [InlineData("Basta ya")]
    [InlineData("Stop please")]
    [InlineData("stop🙏please")]
    [InlineData("STOP texting me!!!")]
    [InlineData("unsubscribe me")]
    [InlineData("Opt me out")]
    [InlineData("I want to opt-out now")]
    [InlineData("leave me alone")]
    [InlineData("not interested")]
    [InlineData("Wrong number")]
    [InlineData("yes stop")]
    [InlineData("help stop")]
    public void Classify_ReturnsPossibleOptOut_WhenMessageReadsLikeAStopRequest(string body)
    {
        Assert.Equal(SmsIntent.PossibleOptOut, SmsKeywords.Classify(body));
    }

    // Decision: STOP anywhere goes to review, so these are flagged on purpose. An agent dismisses them in seconds;
    // a missed revocation is a TCPA violation for every later text.
    [Theory]
    [InlineData("I can't stop smiling, thanks!")]
    [InlineData("stop by tomorrow?")]
    [InlineData("Which bus stop is closest?")]
    public void Classify_ReturnsPossibleOptOut_WhenStopIsUsedInAnotherSense(string body)
    {
        Assert.Equal(SmsIntent.PossibleOptOut, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t")]
    [InlineData("!!!")]
    [InlineData("👍")]
    [InlineData("🛑")]
    [InlineData("Thanks!")]
    [InlineData("thanks")]
    [InlineData("ok")]
    [InlineData("What time is my delivery?")]
    [InlineData("what time do you close")]
    [InlineData("yes please")]
    [InlineData("YES YES")]
    [InlineData("Start please")]
    [InlineData("Can you help me?")]
    [InlineData("more info please")]
    [InlineData("Cancel my appointment for Tuesday")]
    [InlineData("See you at the end of the week")]
    [InlineData("I quit my job lol")]
    [InlineData("Unstoppable deals!")]
    [InlineData("Is the Palo Alto store open?")]
    [InlineData("stopped by earlier")]
    public void Classify_ReturnsNone_WhenMessageIsOrdinary(string? body)
    {
        Assert.Equal(SmsIntent.None, SmsKeywords.Classify(body));
    }

    [Fact]
    public void Classify_ReturnsNone_WhenMessageIsLongAndHarmless()
    {
        var body = string.Concat(Enumerable.Repeat("See you soon, thanks! ", 80));

        Assert.Equal(SmsIntent.None, SmsKeywords.Classify(body));
    }

    [Theory]
    [InlineData("SÍ")]
    [InlineData("sí")]
    [InlineData("Si!")]
    public void Classify_ReadsSpanishYesAsAConfirmation_WithOrWithoutItsAccent(string body)
    {
        Assert.Equal(SmsIntent.Confirm, SmsKeywords.Classify(body));
    }

    [Fact]
    public void KeywordLists_MatchTheTestedTable_SoNoKeywordGoesUntested()
    {
        var listed = SmsKeywords.OptOutKeywords.Select(k => (k, SmsIntent.OptOut))
            .Concat(SmsKeywords.OptOutAllKeywords.Select(k => (k, SmsIntent.OptOutAll)))
            .Concat(SmsKeywords.OptInKeywords.Select(k => (k, SmsIntent.OptIn)))
            .Concat(SmsKeywords.ConfirmKeywords.Select(k => (k, SmsIntent.Confirm)))
            .Concat(SmsKeywords.JoinKeywords.Select(k => (k, SmsIntent.Join)))
            .Concat(SmsKeywords.HelpKeywords.Select(k => (k, SmsIntent.Help)))
            .Order();
        var tested = Keywords.Select(k => (k.Keyword.ToUpperInvariant(), k.Intent)).Order();

        Assert.Equal(tested, listed);
    }

    [Fact]
    public void ReviewPhrases_EachSendsAMessageToReview_WhenFoundInsideASentence()
    {
        // Catches an entry that normalisation could never produce (say "DON'T TEXT"), which would silently never match.
        Assert.All(SmsKeywords.ReviewPhrases, phrase =>
        {
            Assert.Equal(SmsIntent.PossibleOptOut, SmsKeywords.Classify($"Hi, {phrase.ToLowerInvariant()}, thanks!"));
        });
    }

    [Fact]
    public void ReviewWholeMessages_SendToReview_OnlyWhenTheyAreTheWholeMessage()
    {
        Assert.NotEmpty(SmsKeywords.ReviewWholeMessages);
        Assert.All(SmsKeywords.ReviewWholeMessages, word =>
        {
            Assert.Equal(SmsIntent.PossibleOptOut, SmsKeywords.Classify(word.ToLowerInvariant() + "!"));
            Assert.Equal(SmsIntent.None, SmsKeywords.Classify($"the {word.ToLowerInvariant()} one, thanks"));
        });
    }
}
