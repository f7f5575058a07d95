using System.Text.RegularExpressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Testing;
using PreferenceCenter.Web.Hosting;

namespace PreferenceCenter.Web.Tests.Components;

/// <summary>bUnit with the real services on a real SQLite file: a component test proves what reaches the log.</summary>
public abstract class PreferenceComponentTestContext : BunitContext, IAsyncLifetime
{
    private readonly TempDataFolder _data = new("components");

    protected PreferenceComponentTestContext()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_data.Settings).Build();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLogging();
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddPreferenceCenterInfrastructure(configuration);
        Services.AddSingleton(Options.Create(new PhoneOptions { DefaultRegion = "GB" }));
        Services.AddMudServices();
        Services.AddScoped<ClientContext>();
        Services.AddScoped<BrowserTime>();
    }

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    protected Guid CustomerId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await Services.MigrateDatabaseAsync();
        await using var db = await OpenAsync();
        var user = new ApplicationUser { UserName = "someone@example.test", Email = "someone@example.test" };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        CustomerId = await Services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Task<PreferenceCenterDbContext> OpenAsync() =>
        Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();

    protected async Task VerifyNumberAsync(string e164 = "+447700900123")
    {
        var verification = Services.GetRequiredService<IPhoneVerificationService>();
        await verification.SendCodeAsync(CustomerId, PhoneNumber.FromE164(e164));
        await using var db = await OpenAsync();
        var body = await db.SmsOutbox.OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        var code = Regex.Match(body, @"\b\d{6}\b").Value;
        var result = await verification.VerifyAsync(CustomerId, code, Services.GetRequiredService<ClientContext>().Evidence(CustomerId));
        Assert.Equal(VerifyOutcome.Verified, result.Outcome);
    }

    /// <summary>Renders a component under MudBlazor's providers, as a page does.</summary>
    protected IRenderedComponent<TComponent> RenderWithProviders<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>> parameters)
        where TComponent : IComponent =>
        Render<ProvidersHost>(p => p.AddChildContent(parameters)).FindComponent<TComponent>();
}
