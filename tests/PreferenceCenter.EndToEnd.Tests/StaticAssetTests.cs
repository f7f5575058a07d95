using System.Net;
using PreferenceCenter.EndToEnd.Tests.Infrastructure;

namespace PreferenceCenter.EndToEnd.Tests;

[Collection(BrowserGroup.Name)]
public sealed class StaticAssetTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("css/site.css", "text/css")]
    [InlineData("js/browser-time.js", "text/javascript")]
    [InlineData("img/logo.svg", "image/svg+xml")]
    public async Task OwnAssets_AreServedFromWwwrootAssets(string path, string contentType)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
    }
}
