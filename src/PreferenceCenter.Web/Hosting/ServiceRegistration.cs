using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Components.Account;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Hosting;

internal static class ServiceRegistration
{
    public static WebApplicationBuilder AddPreferenceCenterCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddPreferenceCenterInfrastructure(builder.Configuration);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient();
        builder.Services.AddHostedService<LedgerCheckpointService>();

        // Receipts name the controller and the law (ISO/IEC TS 27560, ADR 38).
        builder.Services.AddOptions<Features.Preferences.ControllerOptions>().Bind(builder.Configuration.GetSection(Features.Preferences.ControllerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Features.Preferences.ReceiptDocument>();
        builder.Services.AddHostedService<PreferenceCenter.Infrastructure.ConsentTexts.ReconfirmationService>();

        // Sends the texts queued with consent changes (keyword replies, grant confirmations), ADR 30.
        builder.Services.AddHostedService<PreferenceCenter.Infrastructure.Messaging.TextDispatcherService>();

        // Data Protection keys live in the database (AddPreferenceCenterInfrastructure), shared by every instance (ADR 19).
        return builder;
    }

    public static WebApplicationBuilder AddPreferenceCenterIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();
        services.AddStaffPolicies();

        services.AddOptions<StaffLockoutOptions>().Bind(builder.Configuration.GetSection(StaffLockoutOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().Configure<IOptions<StaffLockoutOptions>>((options, lockout) =>
        {
            options.Lockout.AllowedForNewUsers = true;
            options.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.Value.Minutes);
        });

        // The cookie's periodic security-stamp check rebuilds the principal; keep how the user signed in (amr), or staff would lose their second factor.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            var methods = context.CurrentPrincipal?.FindAll(StaffSignInManager.MethodClaim).ToList() ?? [];
            if (methods.Count > 0 && context.NewPrincipal?.Identity is ClaimsIdentity identity)
            {
                identity.AddClaims(methods.Select(c => new Claim(c.Type, c.Value)));
            }

            return Task.CompletedTask;
        });

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PreferenceCenterDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddDefaultTokenProviders();
        services.AddScoped<StaffAccounts>();
        return builder;
    }

    public static async Task EnsureStaffRolesAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
    }

    public static WebApplicationBuilder AddPreferenceCenterUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();

        // Exception details never travel to the browser, Development included.
        services.Configure<CircuitOptions>(o => o.DetailedErrors = false);
        services.AddMudServices();
        services.AddScoped<ClientContext>();
        services.AddScoped<CircuitHandler, ClientContextCircuitHandler>();
        services.AddScoped<BrowserTime>();
        services.AddScoped<Features.SignIn.CustomerSessions>();
        return builder;
    }
}
