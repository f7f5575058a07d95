using Microsoft.Playwright;
using PreferenceCenter.EndToEnd.Tests.Pages;
using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The operating system's Chromium, never a downloaded one: <c>PREFERENCECENTER_CHROMIUM</c> (or
/// <c>CHROMIUM_PATH</c>) overrides <c>/usr/bin/chromium</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The password of every staff account the tests make.</summary>
    public const string StaffPassword = "Corr3ct-Horse-Battery!";

    private IPlaywright? _playwright;
    private IBrowser? _cookieBlocking;

    public IBrowser Browser { get; private set; } = default!;

    public AppServer App { get; private set; } = default!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("PREFERENCECENTER_CHROMIUM")
        ?? Environment.GetEnvironmentVariable("CHROMIUM_PATH")
        ?? "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}. Run the README's test command (it installs the OS package) or set PREFERENCECENTER_CHROMIUM.");
        }

        App = new AppServer();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A fresh browser context (no cookies): by default a British English browser in light mode.</summary>
    public async Task<IPage> NewPageAsync(string timeZone = "Europe/London", string locale = "en-GB", ColorScheme colorScheme = ColorScheme.Light, AppServer? app = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (app ?? App).BaseUrl,
            TimezoneId = timeZone,
            Locale = locale,
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A staff account (Agent or Admin) made with the app's own command line, as an operator would.</summary>
    public async Task CreateStaffAsync(string email, string role, AppServer? app = null)
    {
        var cli = await WebExecutable.RunAsync((app ?? App).DataSettings, TestContext.Current.CancellationToken, "users", "create", "--email", email, "--password", StaffPassword, "--role", role);
        Assert.True(cli.Code == 0, cli.Errors);
    }

    /// <summary>A new staff member's own browser, signed in for the first time (authenticator enrolled).</summary>
    /// <remarks>A test that changes what every page shows (a new purpose) passes a server of its own.</remarks>
    public async Task<IPage> NewStaffPageAsync(string role, string emailPrefix, AppServer? app = null)
    {
        var email = $"{emailPrefix}-{Guid.NewGuid():N}@example.test";
        await CreateStaffAsync(email, role, app);
        var page = await NewPageAsync(app: app);
        await new AccountPages(page).SignInStaffFirstTimeAsync(email, StaffPassword);
        return page;
    }

    /// <summary>A context like a privacy-minded browser's: third-party cookies blocked (Chromium's phase-out mode).</summary>
    public async Task<IBrowserContext> NewCookieBlockingContextAsync()
    {
        _cookieBlocking ??= await _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = [.. Arguments, "--test-third-party-cookie-phaseout"],
        });
        var context = await _cookieBlocking.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl, TimezoneId = "Europe/London", Locale = "en-GB" });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (_cookieBlocking is not null)
        {
            await _cookieBlocking.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
