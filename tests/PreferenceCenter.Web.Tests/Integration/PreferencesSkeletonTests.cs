namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>/preferences is never blank while its live connection starts, and offers nothing to click before it works (#20, ADR 4).</summary>
public sealed class PreferencesSkeletonTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("en", "Text message preferences")]
    [InlineData("es", "Preferencias de mensajes de texto")]
    public async Task PreferencesHtml_CarriesTheTitleAndASkeletonButNoControls_BeforeTheConnectionStarts(string language, string title)
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var html = await client.GetStringAsync(new Uri("/preferences", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains($">{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"preferences-skeleton\" role=\"status\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"checkbox\"", html, StringComparison.Ordinal);
        Assert.Contains("<!--Blazor:", html, StringComparison.Ordinal);
    }
}
