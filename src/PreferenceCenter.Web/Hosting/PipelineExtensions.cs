using PreferenceCenter.Web.Features.SignIn;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using PreferenceCenter.Web.Components;
using PreferenceCenter.Web.Components.Account;
using PreferenceCenter.Web.Features.Staff;
using PreferenceCenter.Web.Features.Api;
using Scalar.AspNetCore;
using PreferenceCenter.Web.Features.Embedding;
using PreferenceCenter.Web.Features.Ledger;
using PreferenceCenter.Web.Features.Preferences;
using PreferenceCenter.Web.Features.OptInCodes;
using PreferenceCenter.Web.Features.Sms;

namespace PreferenceCenter.Web.Hosting;

internal static partial class PipelineExtensions
{
    public static WebApplication UsePreferenceCenterPipeline(this WebApplication app)
    {
        // First: everything after it (HSTS, evidence, the inbound SMS signature URL) sees the client's address and scheme.
        app.UseForwardedHeaders();
        // Always the friendly error page: a stack trace must never reach a customer's browser.
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = SecurityHeaders.ReferrerPolicy;
            headers["Permissions-Policy"] = SecurityHeaders.PermissionsPolicy;

            // Only the embed page may be framed by other sites (it sets its own policy); everything else is 'self'.
            context.Response.OnStarting(() =>
            {
                var response = context.Response.Headers;
                if (response.ContainsKey("Content-Security-Policy"))
                {
                    // Antiforgery adds X-Frame-Options: SAMEORIGIN, which would contradict the embed page's frame-ancestors.
                    response.Remove("X-Frame-Options");
                }
                else
                {
                    response.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy("'self'");
                }

                return Task.CompletedTask;
            });
            await next();
        });
        app.UseRequestLocalization();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(OwnAssetsFolder(app.Environment)) });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPreferenceCenter(this WebApplication app)
    {
        app.MapStaticAssets();
        // Framing is governed by our own frame-ancestors on every document (the embed page lists its site's
        // origins), and WebSocket compression is off so framing by those origins is safe (ADR 10).
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o =>
        {
            o.ContentSecurityFrameAncestorsPolicy = null;
            o.ConfigureWebSocketAcceptContext = null;
        });
        app.MapAdditionalIdentityEndpoints();
        app.MapCustomerSignIn();
        app.MapStaffExports();
        app.MapOptInCodes();
        app.MapInboundSms(app.Environment);
        app.MapMyHistoryDownloads();
        app.MapLedgerKeys();
        app.MapLanguageSwitch();
        app.MapPreferenceCenterApi();
        app.MapPreferenceCenterHealth();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }
        app.MapEmbedDemo();
        return app;
    }

    /// <summary>
    /// The repository's wwwroot-assets/ when running from a checkout (edits show without a rebuild), else the copy
    /// in the build output.
    /// </summary>
    private static string OwnAssetsFolder(IWebHostEnvironment environment)
    {
        var root = RepositorySettings.FindRepositoryRoot(environment.ContentRootPath);
        var inRepository = root is null ? null : Path.Combine(root, "wwwroot-assets");
        return inRepository is not null && Directory.Exists(inRepository) ? inRepository : Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
    }

    /// <summary>Prints where the app is, so the README's run command ends with a URL to open.</summary>
    public static WebApplication AnnounceUrlsOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PreferenceCenter");
            foreach (var address in addresses)
            {
                LogRunning(logger, address, app.Environment.IsDevelopment() ? $" (SMS outbox: {address.TrimEnd('/')}/dev/sms)" : string.Empty);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PreferenceCenter is running at {Address}{Extra}")]
    private static partial void LogRunning(ILogger logger, string address, string extra);
}
