using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Domain.Embedding;

namespace PreferenceCenter.Domain.Tests;

public class EmbedLinkTests
{
    // The worked example of docs/embedding.md; the signature was computed outside .NET (Python hmac and Node crypto).
    private const string Secret = "development-only-demo-embed-secret-not-for-production";
    private const string SiteId = "demo";
    private const string Sub = "customer-42";
    private const long Exp = 1795000000;
    private const string ExpText = "1795000000";
    private const string Nonce = "q7Xr2mN9vB4kT1wZ";
    private const string Expected = "1f4E0YhtE1I5IFUsn0QnSXYY3UihHovvbxKUjmV84eU";

    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(15);

    private static DateTimeOffset SecondsBeforeExpiry(long seconds) => DateTimeOffset.FromUnixTimeSeconds(Exp - seconds);

    private static EmbedLinkCheck CheckAt(DateTimeOffset now, string secret = Secret, string siteId = SiteId, string? sub = Sub, string? exp = ExpText, string? nonce = Nonce, string? sig = Expected) =>
        EmbedLink.Check(secret, siteId, sub, exp, nonce, sig, now, MaxLifetime);

    [Fact]
    public void Sign_ReproducesTheWorkedExample_FromTheDocs()
    {
        Assert.Equal(Expected, EmbedLink.Sign(Secret, SiteId, Sub, Exp, Nonce));
    }

    [Fact]
    public void DocsCSharpSnippets_ReproduceTheWorkedExample_WithBase64UrlAndWithManualReplace()
    {
        Assert.Equal(Expected, SignEmbedLink(Secret, SiteId, Sub, Exp, Nonce));
        Assert.Equal(Expected, SignEmbedLinkWithoutBase64Url(Secret, SiteId, Sub, Exp, Nonce));
    }

    [Theory]
    [InlineData(600)]
    [InlineData(1)]
    [InlineData(15 * 60)]
    public void Check_ReturnsValid_WhenSignatureMatchesAndExpiryIsWithinTheMaximum(long secondsLeft)
    {
        Assert.Equal(EmbedLinkCheck.Valid, CheckAt(SecondsBeforeExpiry(secondsLeft)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-86400)]
    public void Check_ReturnsExpired_WhenNowIsAtOrAfterExp(long secondsLeft)
    {
        Assert.Equal(EmbedLinkCheck.Expired, CheckAt(SecondsBeforeExpiry(secondsLeft)));
    }

    [Theory]
    [InlineData(15 * 60 + 1)]
    [InlineData(24 * 60 * 60)]
    public void Check_ReturnsTooLongLived_WhenExpIsFurtherAheadThanTheMaximum(long secondsLeft)
    {
        Assert.Equal(EmbedLinkCheck.TooLongLived, CheckAt(SecondsBeforeExpiry(secondsLeft)));
    }

    [Fact]
    public void Check_ReturnsBadSignature_WhenAnySignedInputIsAltered()
    {
        var now = SecondsBeforeExpiry(600);

        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, sub: "customer-43"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, exp: "1795000001"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, nonce: "q7Xr2mN9vB4kT1wY"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, siteId: "other-shop"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, secret: Secret + "x"));
    }

    [Fact]
    public void Check_ReturnsBadSignature_WhenSignatureIsWellFormedButWrong()
    {
        var now = SecondsBeforeExpiry(600);

        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, sig: "AAAA"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, sig: "2f4E0YhtE1I5IFUsn0QnSXYY3UihHovvbxKUjmV84eU"));
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(now, sig: string.Empty));
    }

    [Fact]
    public void Check_ReturnsBadSignature_BeforeLookingAtExpiry_WhenAnExpiredLinkIsForged()
    {
        // A forger must not learn anything about lifetimes from the answer.
        Assert.Equal(EmbedLinkCheck.BadSignature, CheckAt(SecondsBeforeExpiry(-60), sub: "customer-43"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("q7Xr2mN9vB4kT1w")] // 15 characters
    [InlineData("q7Xr2mN9vB4kT1w!")]
    [InlineData("q7Xr2mN9vB4kT1w=")]
    [InlineData("q7Xr2mN9vB4k T1wZ")]
    [InlineData("q7Xr2mN9vB4kT1w+")]
    public void Check_ReturnsMalformed_WhenNonceIsNot16To128UrlSafeCharacters(string? nonce)
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), nonce: nonce));
    }

    [Fact]
    public void Check_ReturnsMalformed_WhenNonceIsLongerThan128Characters()
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), nonce: new string('a', 129)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" customer-42")]
    [InlineData("customer-42 ")]
    [InlineData("customer\n42")]
    [InlineData("customer\u000042")]
    public void Check_ReturnsMalformed_WhenSubIsNotVisibleCharacters(string? sub)
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), sub: sub));
    }

    [Fact]
    public void Check_ReturnsMalformed_WhenSubIsLongerThan200Characters()
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), sub: new string('a', 201)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1795000000")]
    [InlineData("+1795000000")]
    [InlineData(" 1795000000")]
    [InlineData("1795000000.0")]
    [InlineData("1,795,000,000")]
    [InlineData("99999999999999999999")]
    public void Check_ReturnsMalformed_WhenExpIsNotUnixSecondsDigits(string? exp)
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), exp: exp));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not base64url!")]
    [InlineData("1f4E0YhtE1I5IFUsn0QnSXYY3UihHovvbxKUjmV84e+")]
    [InlineData("1f4E0YhtE1I5IFUsn0QnSXYY3UihHovvbxKUjmV84e/")]
    [InlineData("A")]
    public void Check_ReturnsMalformed_WhenSigIsNotBase64Url(string? sig)
    {
        Assert.Equal(EmbedLinkCheck.Malformed, CheckAt(SecondsBeforeExpiry(600), sig: sig));
    }

    [Theory]
    [InlineData("https://shop.example", "https://shop.example")]
    [InlineData("http://127.0.0.1:5256", "http://127.0.0.1:5256")]
    [InlineData("https://shop.example/", "https://shop.example")]
    [InlineData("  https://shop.example/  ", "https://shop.example")]
    [InlineData("HTTPS://Shop.EXAMPLE", "https://shop.example")]
    [InlineData("https://shop.example:443", "https://shop.example")]
    [InlineData("https://shop.example:8443", "https://shop.example:8443")]
    public void TryNormaliseOrigin_ReturnsTheExactLowercasedOrigin_WhenValueIsAnHttpOrHttpsOrigin(string value, string expected)
    {
        Assert.True(EmbedRules.TryNormaliseOrigin(value, out var origin));
        Assert.Equal(expected, origin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("shop.example")]
    [InlineData("https://shop.example/shop")]
    [InlineData("https://shop.example/?a=1")]
    [InlineData("https://shop.example?a=1")]
    [InlineData("https://shop.example#top")]
    [InlineData("https://user:password@shop.example")]
    [InlineData("ftp://shop.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not an origin at all")]
    [InlineData("https://")]
    public void TryNormaliseOrigin_ReturnsFalse_WhenValueIsNotJustSchemeHostAndPort(string? value)
    {
        Assert.False(EmbedRules.TryNormaliseOrigin(value, out var origin));
        Assert.Equal(string.Empty, origin);
    }

    // Kept identical to the C# snippet in docs/embedding.md, so the docs are proven to match the app.
    private static string SignEmbedLink(string secret, string siteId, string sub, long exp, string nonce)
    {
        var message = string.Join('\n', siteId, sub, exp.ToString(CultureInfo.InvariantCulture), nonce);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message));
        return Base64Url.EncodeToString(mac); // base64url, no padding (.NET 9 and later)
    }

    // The docs' variant for runtimes without System.Buffers.Text.Base64Url: the same with the last line replaced.
    private static string SignEmbedLinkWithoutBase64Url(string secret, string siteId, string sub, long exp, string nonce)
    {
        var message = string.Join('\n', siteId, sub, exp.ToString(CultureInfo.InvariantCulture), nonce);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
