using PreferenceCenter.Domain.Messaging;

namespace PreferenceCenter.Domain.Tests;

public class TwilioSignatureTests
{
    // Twilio's own vector (twilio-csharp RequestValidatorTest).
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static readonly KeyValuePair<string, string>[] Parameters =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    private static KeyValuePair<string, string>[] With(string name, string value) =>
        [.. Parameters.Where(p => p.Key != name), new(name, value)];

    [Fact]
    public void Compute_ReturnsTwilioPublishedSignature_ForRequestValidatorTestVector()
    {
        Assert.Equal(Expected, TwilioSignature.Compute(Token, Url, Parameters));
    }

    [Fact]
    public void IsValid_ReturnsTrue_ForTwilioPublishedTestVector()
    {
        Assert.True(TwilioSignature.IsValid(Token, Url, Parameters, Expected));
    }

    [Fact]
    public void Compute_ReturnsSameSignature_WhenParametersArriveInAnyOrder()
    {
        KeyValuePair<string, string>[] reversed = [.. Parameters.Reverse()];
        KeyValuePair<string, string>[] shuffled = [Parameters[3], Parameters[0], Parameters[4], Parameters[2], Parameters[1]];

        Assert.Equal(Expected, TwilioSignature.Compute(Token, Url, reversed));
        Assert.Equal(Expected, TwilioSignature.Compute(Token, Url, shuffled));
        Assert.True(TwilioSignature.IsValid(Token, Url, shuffled, Expected));
    }

    [Fact]
    public void Compute_SortsNamesOrdinally_WhenNamesDifferOnlyInCase()
    {
        // Expected computed outside .NET over URL + "B2a3b1"; a culture-aware sort would give "a3b1B2" or "a3B2b1".
        KeyValuePair<string, string>[] parameters = [new("b", "1"), new("B", "2"), new("a", "3")];

        Assert.Equal("/rogNJvte/J4zjR1IzBCqKSwVoQ=", TwilioSignature.Compute(Token, "https://example.com/sms/inbound", parameters));
    }

    [Fact]
    public void Compute_HashesUtf8_WhenBodyHasAccentsAndEmoji()
    {
        // Expected computed outside .NET (Python hmac over the UTF-8 bytes).
        KeyValuePair<string, string>[] parameters = [new("From", "+14158675309"), new("Body", "Arrêtez 🙏")];

        Assert.Equal("aH+FPkbnr5Np6a6dWijxytzaEJs=", TwilioSignature.Compute(Token, "https://example.com/sms/inbound", parameters));
    }

    [Fact]
    public void Compute_ReturnsSameSignature_WhenARepeatedNameArrivesInEitherOrder()
    {
        // MMS posts MediaUrl0, MediaUrl1...; a repeated name must still sign the same whatever order the form yields.
        const string url = "https://example.com/sms/inbound";
        KeyValuePair<string, string>[] oneWay = [new("MediaUrl", "https://x/2"), new("NumMedia", "2"), new("MediaUrl", "https://x/1")];
        KeyValuePair<string, string>[] otherWay = [new("NumMedia", "2"), new("MediaUrl", "https://x/1"), new("MediaUrl", "https://x/2")];

        Assert.Equal("7Ffh8CFrx92NMlRtIGNUDw2UGUs=", TwilioSignature.Compute(Token, url, oneWay));
        Assert.Equal("7Ffh8CFrx92NMlRtIGNUDw2UGUs=", TwilioSignature.Compute(Token, url, otherWay));
    }

    [Fact]
    public void IsValid_ReturnsFalse_WhenAParameterValueChanged()
    {
        Assert.False(TwilioSignature.IsValid(Token, Url, With("Digits", "1235"), Expected));
    }

    [Fact]
    public void IsValid_ReturnsFalse_WhenAParameterWasAdded()
    {
        Assert.False(TwilioSignature.IsValid(Token, Url, [.. Parameters, new("Body", "STOP")], Expected));
    }

    [Fact]
    public void IsValid_ReturnsFalse_WhenAParameterWasRemoved()
    {
        Assert.False(TwilioSignature.IsValid(Token, Url, Parameters.Where(p => p.Key != "To"), Expected));
    }

    [Fact]
    public void IsValid_ReturnsFalse_WhenAParameterWasRenamed()
    {
        KeyValuePair<string, string>[] renamed = [.. Parameters.Where(p => p.Key != "To"), new("to", "+18005551212")];

        Assert.False(TwilioSignature.IsValid(Token, Url, renamed, Expected));
    }

    [Theory]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/myapp.php?bar=2&foo=1")]
    [InlineData("https://mycompany.com/myapp.php")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2/")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1&bar=2")]
    public void IsValid_ReturnsFalse_WhenUrlDiffers(string url)
    {
        Assert.False(TwilioSignature.IsValid(Token, url, Parameters, Expected));
    }

    [Theory]
    [InlineData("12346")]
    [InlineData("123456")]
    [InlineData(" 12345")]
    public void IsValid_ReturnsFalse_WhenTokenDiffers(string token)
    {
        Assert.False(TwilioSignature.IsValid(token, Url, Parameters, Expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a signature!")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8")]
    [InlineData("RSOYDt4T1cUTdK1PDd93")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8=AAAA")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B4=")]
    [InlineData("SSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("rsoydt4t1cutdk1pdd93/vvr8b8=")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8=,RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    public void IsValid_ReturnsFalse_WhenHeaderIsMissingEmptyOrMalformed(string? header)
    {
        Assert.False(TwilioSignature.IsValid(Token, Url, Parameters, header));
    }

    [Fact]
    public void IsValid_ReturnsFalse_WhenAuthTokenIsEmptyEvenIfSignatureMatchesIt()
    {
        // Anyone can sign with an empty key, so an unconfigured token must never accept a request.
        var signedWithNothing = TwilioSignature.Compute(string.Empty, Url, Parameters);

        Assert.False(TwilioSignature.IsValid(string.Empty, Url, Parameters, signedWithNothing));
    }

    [Fact]
    public void IsValid_ReturnsTrue_WhenSignatureWasComputedForTheSameRequest()
    {
        KeyValuePair<string, string>[] parameters = [new("MessageSid", "SM123"), new("Body", "stop"), new("From", "+14158675309")];
        var signature = TwilioSignature.Compute("token", "https://example.com/sms/inbound", parameters);

        Assert.True(TwilioSignature.IsValid("token", "https://example.com/sms/inbound", parameters.Reverse(), signature));
        Assert.False(TwilioSignature.IsValid("token", "https://example.com/sms/inbound", [.. parameters, new("Body", "x")], signature));
    }
}
