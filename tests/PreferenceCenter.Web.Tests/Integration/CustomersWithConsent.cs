using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Identity;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>A customer who verified a number and agreed to promotions, made through the app's own services.</summary>
internal static class CustomersWithConsent
{
    public static async Task<Guid> CreateAsync(PreferenceCenterAppFactory app, string e164 = "+447700900123")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var email = $"c-{Guid.NewGuid():N}@example.test";
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await services.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, SignedInClients.Password)).Succeeded);
        var customerId = await services.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
        Assert.Equal(ConsentChangeOutcome.Changed, await VerifyAndGrantAsync(app, customerId, e164));
        return customerId;
    }

    /// <summary>Verifies a number for an existing customer and grants promotions.</summary>
    public static async Task<ConsentChangeOutcome> VerifyAndGrantAsync(PreferenceCenterAppFactory app, Guid customerId, string e164)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var verification = services.GetRequiredService<IPhoneVerificationService>();
        await verification.SendCodeAsync(customerId, PhoneNumber.FromE164(e164));
        await using var db = await services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        var body = await db.SmsOutbox.Where(m => m.ToE164 == e164).OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync();
        var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", "203.0.113.1", "Test", "en");
        Assert.Equal(VerifyOutcome.Verified, (await verification.VerifyAsync(customerId, System.Text.RegularExpressions.Regex.Match(body, @"\d{6}").Value, evidence)).Outcome);
        return (await services.GetRequiredService<IConsentService>().GrantAsync(customerId, Purpose.Promotions, 2, evidence)).Outcome;
    }

    public static async Task<int> AccessRecordsAsync(PreferenceCenterAppFactory app, Guid customerId, string action)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync();
        return await db.AccessRecords.CountAsync(a => a.CustomerId == customerId && a.Action == action);
    }
}
