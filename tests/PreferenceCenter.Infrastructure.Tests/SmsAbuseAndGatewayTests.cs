using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Messaging;

namespace PreferenceCenter.Infrastructure.Tests;

public sealed class SmsAbuseAndGatewayTests
{
    [Fact]
    public async Task SendCode_RefusesCountryOffTheAllowList_ButAcceptsAnAllowedOne()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:AllowedCountries:0"] = "GB" });
        var customer = await database.CreateCustomerAsync();

        var us = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+12025550143"));
        var uk = await database.Verification.SendCodeAsync(customer, PhoneNumber.FromE164("+447700900123"));

        Assert.Equal(SendRefusal.CountryNotAllowed, us.Decision.Refusal);
        Assert.True(uk.Sent);
        await using var db = await database.OpenAsync();
        Assert.Single(await db.SmsOutbox.ToListAsync());
    }

    [Fact]
    public async Task SendCode_RefusesPerIpCap_AcrossCustomersAndNumbers()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerIpPerHour"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164($"+4477009001{i:00}"), "192.0.2.44")).Sent);
        }

        var refused = await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+447700900150"), "192.0.2.44");
        var otherIp = await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+447700900151"), "192.0.2.45");

        Assert.Equal(SendRefusal.IpHourlyCap, refused.Decision.Refusal);
        Assert.True(otherIp.Sent);
    }

    [Fact]
    public async Task SendCode_RefusesPerPrefixCap_WhenOneNumberRangeIsHammered()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerPrefixPerHour"] = "2" });
        await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+447700900101"));
        await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+447700900202"));

        var sameRange = await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+447700900303"));
        var otherRange = await database.Verification.SendCodeAsync(await database.CreateCustomerAsync(), PhoneNumber.FromE164("+12025550143"));

        Assert.Equal(SendRefusal.PrefixHourlyCap, sameRange.Decision.Refusal);
        Assert.True(otherRange.Sent);
    }

    [Fact]
    public async Task SendCode_ServesAFreshRequester_WhenOneAttackerHammeredTheRange()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerPrefixPerHour"] = "3", ["Verification:MaxSendsPerIpPerHour"] = "100" });
        for (var i = 0; i < 30; i++)
        {
            Assert.True((await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164($"+4477009002{i:00}"), "198.51.100.66")).Sent);
        }

        var fresh = await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164("+447700900301"), "203.0.113.9");

        Assert.True(fresh.Sent, fresh.Decision.Refusal.ToString());
    }

    [Fact]
    public async Task SendCode_RefusesTheRange_WhenManyRequestersLeaveCodesUnused_ButNotANumberVerifiedHere()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerPrefixPerHour"] = "3" });
        var regular = await database.CreateVerifiedCustomerAsync("+447700900399");
        foreach (var ip in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            Assert.True((await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164($"+44770090031{ip[^1]}"), ip)).Sent);
        }

        var fourth = await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164("+447700900320"), "198.51.100.4");
        var known = await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164("+447700900399"), "198.51.100.5");

        Assert.Equal(SendRefusal.PrefixHourlyCap, fourth.Decision.Refusal);
        Assert.True(known.Sent, known.Decision.Refusal.ToString());
        Assert.NotEqual(Guid.Empty, regular);

        // An hour on, the range is open again.
        database.Clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164("+447700900320"), "198.51.100.4")).Sent);
    }

    [Fact]
    public async Task SendCode_DoesNotCountCodesThatWereTypedBack_TowardsTheRangeCap()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Verification:MaxSendsPerPrefixPerHour"] = "2" });
        await database.CreateVerifiedCustomerAsync("+447700900401");
        await database.CreateVerifiedCustomerAsync("+447700900402");
        await database.CreateVerifiedCustomerAsync("+447700900403");

        Assert.True((await database.Verification.SendSignInCodeAsync(Guid.NewGuid(), PhoneNumber.FromE164("+447700900404"), "203.0.113.10")).Sent);
    }

    [Fact]
    public async Task Gateway_RefusesAndSendsNothing_WithoutConsent_ThenSendsFromThePurposeNumber()
    {
        await using var database = await TestDatabase.CreateAsync(new() { ["Sms:SendingNumbers:Promotions"] = "+447700900002" });
        var gateway = database.Services.GetRequiredService<ISmsGateway>();
        var customer = await database.CreateVerifiedCustomerAsync("+447700900123");

        Assert.False(await gateway.SendAsync("+447700900123", Purpose.Promotions, "Big sale"));
        await database.Consents.GrantAsync(customer, Purpose.Promotions, 2, TestDatabase.Evidence(customer));
        Assert.True(await gateway.SendAsync("+447700900123", Purpose.Promotions, "Big sale"));
        Assert.False(await gateway.CanSendAsync("+447700900123", Purpose.AccountAlerts));

        await using var db = await database.OpenAsync();
        var sent = await db.SmsOutbox.Where(m => m.Body == "Big sale").ToListAsync();
        Assert.Single(sent);
        Assert.Contains(database.Logs.Lines, l => l.Contains("Refused a Promotions text", StringComparison.Ordinal) && !l.Contains("7700900123", StringComparison.Ordinal));
    }
}
