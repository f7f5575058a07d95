using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace PreferenceCenter.Domain.Messaging;

/// <summary>What an inbound text asks for.</summary>
public enum SmsIntent
{
    /// <summary>Not a keyword and nothing that reads like a stop request.</summary>
    None,

    /// <summary>Stop texting me from this number (its purposes).</summary>
    OptOut,

    /// <summary>Stop every purpose, whichever number it was sent to.</summary>
    OptOutAll,

    /// <summary>Start again (lifts an earlier STOP).</summary>
    OptIn,

    /// <summary>YES (or SÍ): confirms the number's open opt-in requests; without one, YES starts again like START.</summary>
    Confirm,

    /// <summary>JOIN, SUBSCRIBE or a purpose's own keyword: asks for a confirmation request (double opt-in).</summary>
    Join,

    /// <summary>Send the help text.</summary>
    Help,

    /// <summary>Reads like a stop request without being a keyword: a person decides.</summary>
    PossibleOptOut,
}

/// <summary>
/// Classifies an inbound SMS body. A keyword only counts when it is the whole message (FCC 24-24, 47 CFR 64.1200(a)(10),
/// and carrier practice); case, punctuation, emoji, accents and extra spaces are ignored. Other wording that a
/// reasonable person could read as "stop" goes to human review, because the FCC judges it on the totality of the
/// circumstances, which code can't.
/// </summary>
/// <remarks>
/// Decisions:
/// <list type="bullet">
/// <item>A message made only of opt-out keywords ("STOP STOP", "stop. unsubscribe!") opts out: honouring a stop is the
/// safe direction and START undoes it. Opt-in stays exact ("YES YES", "yes please" are None): consent must be clear.</item>
/// <item>STOP, UNSUBSCRIBE, REVOKE and OPT OUT anywhere in a longer message send it to review, so "stop by tomorrow?" and
/// "I can't stop smiling" are reviewed on purpose: a glance by an agent is cheap, a missed revocation is a TCPA
/// violation per text. CANCEL, END and QUIT are too common in ordinary speech ("cancel my appointment") to count
/// outside the whole-message keyword.</item>
/// <item>HELP and INFO count only as the whole message; "can you help me?" is None.</item>
/// </list>
/// </remarks>
public static class SmsKeywords
{
    // All lists are in normalised form (upper case, no accents or punctuation, single spaces), which is what
    // Normalise produces and what the lookups compare against.

    /// <summary>FCC's seven revocation words plus carrier-standard variants; the whole message must be one of these.</summary>
    public static readonly ImmutableArray<string> OptOutKeywords =
        ["STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"];

    /// <summary>Opt out of every purpose at once.</summary>
    public static readonly ImmutableArray<string> OptOutAllKeywords = ["STOPALL", "STOP ALL"];

    /// <summary>Carrier-standard re-subscribe keywords.</summary>
    public static readonly ImmutableArray<string> OptInKeywords = ["START", "UNSTOP"];

    /// <summary>Answers to a confirmation request, in English and Spanish (accents are folded: SÍ is SI).</summary>
    public static readonly ImmutableArray<string> ConfirmKeywords = ["YES", "SI"];

    /// <summary>Keyword opt-in ("Text JOIN to …"): never a grant by itself, only a request to be asked.</summary>
    public static readonly ImmutableArray<string> JoinKeywords = ["JOIN", "SUBSCRIBE"];

    /// <summary>Carrier-standard help keywords.</summary>
    public static readonly ImmutableArray<string> HelpKeywords = ["HELP", "INFO"];

    /// <summary>Words and phrases that, found anywhere in a message as whole words, send it to review.</summary>
    public static readonly ImmutableArray<string> ReviewPhrases =
    [
        // A revocation word inside a longer message ("stop please", "please unsubscribe me").
        "STOP", "STOPALL", "UNSUBSCRIBE", "REVOKE", "OPTOUT", "OPT OUT",

        // Natural-language requests; "DONT" is "don't" with the apostrophe removed.
        "OPT ME OUT", "REMOVE ME", "REMOVE MY NUMBER", "DELETE MY NUMBER", "TAKE ME OFF",
        "DONT TEXT", "DO NOT TEXT", "DONT TXT", "DO NOT TXT", "NEVER TEXT",
        "DONT MESSAGE", "DO NOT MESSAGE", "DONT CONTACT", "DO NOT CONTACT",
        "QUIT TEXTING", "QUIT MESSAGING", "NO MORE TEXT", "NO MORE TEXTS", "NO MORE TXTS", "NO MORE MESSAGES",
        "LEAVE ME ALONE", "NOT INTERESTED",

        // The person who consented no longer has this number; texting on risks texting a stranger.
        "WRONG NUMBER",

        // Stop in other languages: French (incl. Canadian ARRET), German/Nordic, Italian/Spanish, Spanish/Portuguese.
        "ARRET", "ARRETE", "ARRETEZ", "STOPP", "BASTA", "PARAR", "CANCELAR",
    ];

    /// <summary>Words that send a message to review only when they are the whole message.</summary>
    /// <remarks>"ALTO" (Spanish "stop") also means "tall"/"high" and is in place names such as Palo Alto.</remarks>
    public static readonly ImmutableArray<string> ReviewWholeMessages = ["ALTO"];

    // Declared after the lists: static fields initialise in textual order.
    private static readonly FrozenDictionary<string, SmsIntent> Exact = BuildExact();

    private static readonly FrozenDictionary<string, SmsIntent> SingleWordOptOuts = OptOutKeywords
        .Concat(OptOutAllKeywords)
        .Where(k => !k.Contains(' ', StringComparison.Ordinal))
        .ToFrozenDictionary(k => k, k => OptOutAllKeywords.Contains(k) ? SmsIntent.OptOutAll : SmsIntent.OptOut, StringComparer.Ordinal);

    // Padded with spaces so "STOP" matches the word, not "UNSTOPPABLE".
    private static readonly string[] ReviewNeedles = [.. ReviewPhrases.Select(p => $" {p} ")];

    private static readonly FrozenSet<string> ReviewAlone = ReviewWholeMessages.ToFrozenSet(StringComparer.Ordinal);

    public static SmsIntent Classify(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return SmsIntent.None;
        }

        // May be empty: "ⓈⓉⓄⓅ" is all symbols until folded below.
        var text = Normalise(body);
        if (Exact.TryGetValue(text, out var intent))
        {
            return intent;
        }

        if (text.Length > 0 && OnlyOptOutWords(text) is { } repeated)
        {
            return repeated;
        }

        // Look-alikes (ADR 25): "SТОР" in Cyrillic, "Ｓ Ｔ Ｏ Ｐ", "𝐒𝐓𝐎𝐏" read as STOP to the person who sent them. Letters
        // from other scripts and spaced-out letters are a confident match and opt out; digits standing for letters
        // ("St0p") are a guess, so a person decides. Never the other way: a look-alike START or YES is not consent.
        var letters = Skeleton(body, foldDigits: false);
        if (letters != text && OptOutOnly(letters) is { } lookAlike)
        {
            return lookAlike;
        }

        var digits = Skeleton(body, foldDigits: true);
        if (digits != letters && OptOutOnly(digits) is not null)
        {
            return SmsIntent.PossibleOptOut;
        }

        if ((text.Length > 0 && ReadsLikeStop(text)) || (letters.Length > 0 && ReadsLikeStop(letters)) || (digits.Length > 0 && ReadsLikeStop(digits)))
        {
            return SmsIntent.PossibleOptOut;
        }

        return SmsIntent.None;
    }

    /// <summary>The whole message in the form keywords are compared in ("join!" is JOIN), for a purpose's own keywords.</summary>
    public static string Canonical(string? body) => string.IsNullOrWhiteSpace(body) ? string.Empty : Normalise(body);

    private static SmsIntent? OptOutOnly(string text) =>
        text.Length == 0 ? null
        : Exact.TryGetValue(text, out var intent) ? (intent is SmsIntent.OptOut or SmsIntent.OptOutAll ? intent : null)
        : OnlyOptOutWords(text);

    private static bool ReadsLikeStop(string text)
    {
        var padded = $" {text} ";
        return ReviewAlone.Contains(text) || ReviewNeedles.Any(n => padded.Contains(n, StringComparison.Ordinal));
    }

    /// <summary>
    /// The normalised text with look-alike letters folded: compatibility forms (NFKC: 𝐒, ﬁ, circled and full-width
    /// letters), Cyrillic and Greek capitals that look like Latin ones, optionally digits used as letters, and runs of
    /// single letters joined ("S T O P" is STOP).
    /// </summary>
    private static string Skeleton(string body, bool foldDigits)
    {
        string compatible;
        try
        {
            compatible = body.Replace('$', 'S').Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            compatible = body; // a lone surrogate; Normalise copes with it
        }

        var folded = new StringBuilder(compatible.Length);
        foreach (var c in Normalise(compatible))
        {
            folded.Append(LookAlikes.TryGetValue(c, out var latin) ? latin
                : foldDigits && DigitLookAlikes.TryGetValue(c, out var letter) ? letter
                : c);
        }

        var words = folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var joined = new StringBuilder(folded.Length);
        for (var i = 0; i < words.Length; i++)
        {
            var glue = i > 0 && words[i].Length == 1 && words[i - 1].Length == 1;
            if (i > 0 && !glue)
            {
                joined.Append(' ');
            }

            joined.Append(words[i]);
        }

        return joined.ToString();
    }

    // Upper case only: Normalise has already upper-cased, so "ѕтор" arrives as "ЅТОР".
    private static readonly FrozenDictionary<char, char> LookAlikes = new Dictionary<char, char>
    {
        // Cyrillic
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P',
        ['С'] = 'C', ['Т'] = 'T', ['У'] = 'Y', ['Х'] = 'X', ['Ѕ'] = 'S', ['І'] = 'I', ['Ј'] = 'J', ['Ү'] = 'Y',
        ['Һ'] = 'H', ['Ӏ'] = 'I', ['Ԛ'] = 'Q', ['Ԝ'] = 'W',

        // Greek
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M',
        ['Ν'] = 'N', ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X',
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<char, char> DigitLookAlikes = new Dictionary<char, char>
    {
        ['0'] = 'O', ['1'] = 'I', ['3'] = 'E', ['4'] = 'A', ['5'] = 'S', ['7'] = 'T', ['8'] = 'B',
    }.ToFrozenDictionary();

    private static FrozenDictionary<string, SmsIntent> BuildExact()
    {
        IEnumerable<KeyValuePair<string, SmsIntent>> Pairs(ImmutableArray<string> keywords, SmsIntent intent) =>
            keywords.Select(k => KeyValuePair.Create(k, intent));

        // ToFrozenDictionary throws on a duplicate, so a keyword can never silently belong to two intents.
        return Pairs(OptOutKeywords, SmsIntent.OptOut)
            .Concat(Pairs(OptOutAllKeywords, SmsIntent.OptOutAll))
            .Concat(Pairs(OptInKeywords, SmsIntent.OptIn))
            .Concat(Pairs(ConfirmKeywords, SmsIntent.Confirm))
            .Concat(Pairs(JoinKeywords, SmsIntent.Join))
            .Concat(Pairs(HelpKeywords, SmsIntent.Help))
            .ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>"STOP STOP", "stop unsubscribe": OptOut (OptOutAll if any word is STOPALL); otherwise null.</summary>
    private static SmsIntent? OnlyOptOutWords(string text)
    {
        var result = SmsIntent.OptOut;
        foreach (var word in text.Split(' '))
        {
            if (!SingleWordOptOuts.TryGetValue(word, out var intent))
            {
                return null;
            }

            if (intent == SmsIntent.OptOutAll)
            {
                result = SmsIntent.OptOutAll;
            }
        }

        return result;
    }

    /// <summary>Upper case, accents removed, punctuation removed, emoji and other symbols as word breaks, single spaces.</summary>
    private static string Normalise(string body)
    {
        // string.Normalize throws on a lone surrogate; EnumerateRunes turns it into U+FFFD, a symbol, so a word break.
        var valid = new StringBuilder(body.Length);
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in body.EnumerateRunes())
        {
            valid.Append(buffer[..rune.EncodeToUtf16(buffer)]);
        }

        // Canonical decomposition splits "ê" into "e" + a combining accent, which is then dropped. Not FormKD: it turns
        // "´" (typed as an apostrophe in "don´t") into a space plus an accent, which would split the word.
        var decomposed = valid.ToString().Normalize(NormalizationForm.FormD);

        var text = new StringBuilder(decomposed.Length);
        var wordBreak = false;
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (wordBreak && text.Length > 0)
                {
                    text.Append(' ');
                }

                wordBreak = false;
                var upper = Rune.ToUpperInvariant(FoldFullWidth(rune));
                text.Append(buffer[..upper.EncodeToUtf16(buffer)]);
                continue;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                // Removed inside a word: "opt-out" is OPTOUT, "don't" is DONT, "arrêtez" is ARRETEZ, "S\u200BTOP" is STOP.
                case UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
                    or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                    or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                    or UnicodeCategory.OtherPunctuation or UnicodeCategory.ModifierSymbol
                    or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                    or UnicodeCategory.EnclosingMark or UnicodeCategory.Format:
                    break;

                // Control characters that are not whitespace carry nothing.
                case UnicodeCategory.Control when !Rune.IsWhiteSpace(rune):
                    break;

                // Whitespace, emoji and other symbols, private-use and not-yet-assigned code points (newer emoji)
                // separate words: "stop🙏please" is two words.
                default:
                    wordBreak = true;
                    break;
            }
        }

        return text.ToString();
    }

    // Full-width Latin letters and digits (from CJK keyboards) mean the same as ASCII: "ＳＴＯＰ" is STOP.
    private static Rune FoldFullWidth(Rune rune) =>
        rune.Value is >= 0xFF01 and <= 0xFF5E ? new Rune(rune.Value - 0xFEE0) : rune;
}
