using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.ConsentTexts;
using PreferenceCenter.Infrastructure.Health;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Localization;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Webhooks;
using PreferenceCenter.Web.Components.Account;
using PreferenceCenter.Web.Features.Api;
using PreferenceCenter.Web.Features.Common;
using PreferenceCenter.Web.Features.Staff;
using PreferenceCenter.Web.Features.Webhooks;

namespace PreferenceCenter.Web.Hosting;

/// <summary>The web app's services, one feature a line (ADR 36); Program.cs calls <see cref="AddPreferenceCenter"/>.</summary>
internal static class ServiceRegistration
{
    /// <summary>Order matters where noted: configuration first (the rest reads it), hosted services start in the order added.</summary>
    public static WebApplicationBuilder AddPreferenceCenter(this WebApplicationBuilder builder) => builder
        .AddRepositorySettings()
        .AddPrivacyLogFloors()
        .AddInfrastructure()
        .AddBackgroundJobs()
        .AddStaffSignIn()
        .AddUi()
        .AddReceipts()
        .AddLanguages()
        .AddPreferenceCenterApi()
        .AddWebhooks()
        .AddHealth()
        .AddPreferenceCenterTelemetry()
        .AddProxyHeaders()
        .AddSecurityHeaders();

    public static async Task EnsureStaffRolesAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
    }

    /// <summary>
    /// Framework log categories that write what people typed or sent are held at a level where they do not
    /// (<see cref="PrivacyLogFloors"/>).
    /// </summary>
    private static WebApplicationBuilder AddPrivacyLogFloors(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, PrivacyLogFloors.ApplyFloors>();
        return builder;
    }

    /// <summary>
    /// The core (<see cref="DependencyInjection.AddPreferenceCenterInfrastructure"/>), including Data Protection with its
    /// keys in the database, shared by every instance (ADR 19); and HTTP plumbing.
    /// </summary>
    private static WebApplicationBuilder AddInfrastructure(this WebApplicationBuilder builder)
    {
        builder.Services.AddPreferenceCenterInfrastructure(builder.Configuration);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient();
        return builder;
    }

    /// <summary>Receipts name the controller and the law (ISO/IEC TS 27560, ADR 38).</summary>
    private static WebApplicationBuilder AddReceipts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<Features.Preferences.ControllerOptions>().Bind(builder.Configuration.GetSection(Features.Preferences.ControllerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Features.Preferences.ReceiptDocument>();
        return builder;
    }

    /// <summary>The core's background work, in this start order: ledger checkpoints, reconfirmation, queued texts.</summary>
    private static WebApplicationBuilder AddBackgroundJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<LedgerCheckpointService>();
        builder.Services.AddHostedService<ReconfirmationService>();

        // Sends the texts queued with consent changes (keyword replies, grant confirmations), ADR 30.
        builder.Services.AddHostedService<TextDispatcherService>();
        return builder;
    }

    /// <summary>Staff accounts (Identity, cookies, lockout, a second factor) and the staff policies (ADR 24).</summary>
    private static WebApplicationBuilder AddStaffSignIn(this WebApplicationBuilder builder)
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
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.AnyStaff, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Agent, StaffRoles.Admin).AddRequirements(new SecondFactorRequirement()))
            .AddPolicy(StaffPolicies.OwnAccount, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Agent, StaffRoles.Admin))
            .AddPolicy(StaffPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin).AddRequirements(new SecondFactorRequirement()));
        services.AddSingleton<IAuthorizationHandler, SecondFactorHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SecondFactorEnrolmentRedirect>();

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

    /// <summary>Blazor Server and MudBlazor, and what a circuit knows about its browser.</summary>
    private static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
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

    /// <summary>
    /// English and Spanish (ADR 17): the language the customer chose (the standard culture cookie), else the browser's
    /// Accept-Language (es-MX finds es), else <c>Localization:DefaultCulture</c>. The switch is <see cref="LocalizationSetup"/>.
    /// </summary>
    private static WebApplicationBuilder AddLanguages(this WebApplicationBuilder builder)
    {
        // Resource files sit beside the component or class that uses them (Features/Preferences/PreferencesStrings.resx).
        builder.Services.AddLocalization();
        builder.Services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<LanguageOptions>>((o, languages) =>
        {
            var cultures = Languages.All.Select(CultureInfo.GetCultureInfo).ToList();
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.DefaultRequestCulture = new RequestCulture(languages.Value.DefaultLanguage);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;

            // No query-string provider: a shared link must not switch someone's language for them.
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return builder;
    }

    /// <summary>The web app's part of webhooks: the payload writer (the API's JSON) and the dispatcher that delivers them.</summary>
    private static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IWebhookPayloadWriter, WebhookPayloads>();
        builder.Services.AddHostedService<WebhookDispatcherService>();
        return builder;
    }

    /// <summary>/health/live and /health/ready (<see cref="HealthEndpoints"/>): the ready check reads the database.</summary>
    private static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [HealthEndpoints.Ready]);
        return builder;
    }

    /// <summary>
    /// Behind nginx the connection comes from the proxy; the consent log must record the customer's address and the
    /// scheme they used. Only loopback is trusted by default (nginx on the same host, docs/deploy); other proxies are
    /// listed in configuration (<see cref="ProxyOptions"/>), so nobody else can forge the address that goes into the evidence.
    /// </summary>
    private static WebApplicationBuilder AddProxyHeaders(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ProxyOptions.SectionName).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.KnownNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>What the response headers (<see cref="SecurityHeaders"/>) need from the server: no server header, secure cookies, HSTS.</summary>
    private static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        // No "Server: Kestrel" advert.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

        // Secure whenever the request is https, as the browser saw it: UseForwardedHeaders runs first, so behind a
        // TLS-terminating proxy that sends X-Forwarded-Proto the request counts as https.
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }
}
