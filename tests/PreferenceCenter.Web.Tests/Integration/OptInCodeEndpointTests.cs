using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Purposes;
using StbImageSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The opt-in QR downloads (#21): real images that a phone's camera reads as the purpose's sms: link, for admins only.</summary>
public sealed partial class OptInCodeEndpointTests : IAsyncLifetime
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly PreferenceCenterAppFactory _app = new("Development", new Dictionary<string, string?>
    {
        ["Sms:SendingNumbers:Promotions"] = "+447700900002",
        ["Sms:Twilio:DefaultFromE164"] = null,
        ["OptInRequests:Keywords:Promotions:0"] = "Deals",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task PngDownload_IsAPngAttachmentThatDecodesToTheSmsLink_WhenAnAdminAsks()
    {
        using var admin = await SignedInClients.ForAsync(_app, StaffRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/admin/opt-in-codes/Promotions.png", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("opt-in-promotions-deals.png", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var png = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(PngSignature, png[..8]);

        // The PNG as a camera would see it: decoded to pixels (StbImageSharp), then read as a QR code (ZXing).
        var image = ImageResult.FromMemory(png, ColorComponents.Grey);
        Assert.Equal("sms:+447700900002?body=DEALS", Decode(image.Data, image.Width, image.Height));
    }

    [Fact]
    public async Task SvgDownload_IsAnSvgAttachmentThatDecodesToTheSmsLink_WhenAnAdminAsks()
    {
        using var admin = await SignedInClients.ForAsync(_app, StaffRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/admin/opt-in-codes/promotions.svg", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("opt-in-promotions-deals.svg", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var svg = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("<svg", svg.TrimStart(), StringComparison.Ordinal);
        Assert.Equal("sms:+447700900002?body=DEALS", Decode(Rasterise(svg, out var size), size, size));
    }

    [Fact]
    public async Task Downloads_AnswerNotFoundProblems_WhenThePurposeIsUnknownOrHasNoNumber()
    {
        await _app.Services.GetRequiredService<PurposeRegistry>().AddAsync(
            new PurposeDraft("Surveys", "Surveys", "Encuestas", "survey texts", "las encuestas", "up to 2 msgs/month", "hasta 2 msjs/mes", true, null,
                "Surveys", "Two surveys a month. Msg & data rates may apply. Reply STOP to opt out, HELP for help.", "Encuestas", "Dos encuestas al mes. Responde STOP para cancelar."),
            "admin@example.test");
        using var admin = await SignedInClients.ForAsync(_app, StaffRoles.Admin);

        foreach (var (path, title) in new[] { ("Raffles.png", "No such purpose"), ("Surveys.svg", "No number to text"), ("Promotions.gif", "Unknown image format") })
        {
            using var response = await admin.GetAsync(new Uri($"/admin/opt-in-codes/{path}", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains($"\"title\":\"{title}\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PageAndDownloads_AreRefused_WhenAnonymousACustomerOrAnAgent()
    {
        using var anonymous = SignedInClients.NewClient(_app);
        using var customer = await SignedInClients.ForAsync(_app, role: null);
        using var agent = await SignedInClients.ForAsync(_app, StaffRoles.Agent);

        foreach (var path in new[] { "/admin/opt-in-codes", "/admin/opt-in-codes/Promotions.png", "/admin/opt-in-codes/Promotions.svg" })
        {
            foreach (var (client, goesTo) in new[] { (anonymous, "/Account/Login"), (customer, "/Account/AccessDenied"), (agent, "/Account/AccessDenied") })
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {response.StatusCode}");
                Assert.Equal(goesTo, response.Headers.Location?.AbsolutePath);
            }
        }
    }

    [Fact]
    public async Task Page_OpensForAdmins()
    {
        using var admin = await SignedInClients.ForAsync(_app, StaffRoles.Admin);

        using var response = await admin.GetAsync(new Uri("/admin/opt-in-codes", UriKind.Relative), TestContext.Current.CancellationToken);

        // The page renders in its circuit (no prerendering): the HTTP answer is the shell that starts it.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/admin/opt-in-codes", response.RequestMessage?.RequestUri?.AbsolutePath);
    }

    private static string? Decode(byte[] grey, int width, int height)
    {
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        return new QRCodeReader().decode(bitmap)?.Text;
    }

    /// <summary>Draws the SVG's dark modules (QRCoder writes one "M x y h w v 1 h -w z" run each) onto a white greyscale image.</summary>
    private static byte[] Rasterise(string svg, out int size)
    {
        const int Scale = 8;
        var viewBox = ViewBox().Match(svg);
        Assert.True(viewBox.Success, "the SVG has a square viewBox");
        var modules = int.Parse(viewBox.Groups[1].Value, CultureInfo.InvariantCulture);
        size = modules * Scale;
        var pixels = Enumerable.Repeat((byte)255, size * size).ToArray();
        var runs = Run().Matches(svg);
        Assert.NotEmpty(runs);
        foreach (Match run in runs)
        {
            var (x, y, w, h) = (Int(run, 1), Int(run, 2), Int(run, 3), Int(run, 4));
            for (var row = y * Scale; row < (y + h) * Scale; row++)
            {
                Array.Fill(pixels, (byte)0, (row * size) + (x * Scale), w * Scale);
            }
        }

        return pixels;
    }

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("viewBox=\"0 0 (\\d+) \\1\"")]
    private static partial Regex ViewBox();

    [GeneratedRegex("M(\\d+) (\\d+)h(\\d+)v(\\d+)h-\\d+z")]
    private static partial Regex Run();
}
