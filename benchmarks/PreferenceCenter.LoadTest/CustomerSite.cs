using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.LoadTest;

/// <summary>
/// A PreferenceCenter database with N signed-up customers, each with a verified number (made with the app's own
/// services and migrations), and their sign-ins through the real login form.
/// </summary>
internal static partial class CustomerSite
{
    public const string Password = "Load-Test-Passw0rd!";

    /// <summary>The app's configuration for a data folder: the same for seeding and for the server process.</summary>
    public static Dictionary<string, string?> Settings(string dataFolder, string provider, string? connection) => new()
    {
        ["Storage:DataFolder"] = dataFolder,
        ["Database:Provider"] = provider,
        ["ConnectionStrings:PreferenceCenter"] = connection ?? $"Data Source={Path.Combine(dataFolder, "preferencecenter.db")}",
    };

    public static async Task<ServiceProvider> OpenAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPreferenceCenterInfrastructure(configuration).BuildServiceProvider();
        await services.MigrateDatabaseAsync();
        return services;
    }

    /// <summary>Adds customers <paramref name="from"/>..<paramref name="to"/>-1 (emails and numbers derived from the index).</summary>
    public static async Task SeedAsync(IServiceProvider services, int from, int to)
    {
        // One password hash for everyone (same password): seeding should not spend minutes in PBKDF2; the server
        // still checks it at every sign-in.
        var hash = new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Password);
        var directory = services.GetRequiredService<ICustomerDirectory>();
        var now = DateTimeOffset.UtcNow;
        var factory = services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PreferenceCenterDbContext>>();
        for (var start = from; start < to; start += 100)
        {
            var users = Enumerable.Range(start, Math.Min(100, to - start)).Select(i => new ApplicationUser
            {
                UserName = Email(i),
                NormalizedUserName = Email(i).ToUpperInvariant(),
                Email = Email(i),
                NormalizedEmail = Email(i).ToUpperInvariant(),
                EmailConfirmed = true,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
            }).ToList();
            await using (var db = await factory.CreateDbContextAsync())
            {
                db.Users.AddRange(users);
                await db.SaveChangesAsync();
            }

            await using (var db = await factory.CreateDbContextAsync())
            {
                for (var k = 0; k < users.Count; k++)
                {
                    var customer = await directory.GetOrCreateForUserAsync(users[k].Id);
                    db.CustomerPhones.Add(CustomerPhone.Verified(customer, Phone(start + k), now));
                }

                await db.SaveChangesAsync();
            }
        }
    }

    public static string Email(int i) => $"load-{i:00000}@example.test";

    public static string Phone(int i) => $"+4477009{i:00000}";

    /// <summary>Signs in through /Account/Login (antiforgery token and all); the cookies end up in the container.</summary>
    public static async Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(string baseUrl, int i, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var form = await http.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), cancellationToken);
        var fields = HiddenInputs().Matches(form).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Email"] = Email(i);
        fields["Input.Password"] = Password;
        using var content = new FormUrlEncodedContent(fields);
        using var response = await http.PostAsync(new Uri("/Account/Login", UriKind.Relative), content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of customer {i} answered {(int)response.StatusCode}.");
        }

        return (http, cookies);
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputs();
}
