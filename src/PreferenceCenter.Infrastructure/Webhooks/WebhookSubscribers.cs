using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Webhooks;

public sealed record WebhookSubscriberCreated(WebhookSubscriber Subscriber, string Secret);

/// <summary>
/// Webhook subscribers and their signing secrets. A secret is needed in plain form to sign, so it is stored
/// encrypted with Data Protection (as embed-site secrets are), not hashed; the plain value is shown once.
/// </summary>
public sealed class WebhookSubscribers(IDbContextFactory<PreferenceCenterDbContext> dbFactory, IDataProtectionProvider protection, IOptions<WebhookOptions> options, TimeProvider clock, PurposeRegistry purposeRegistry)
{
    private readonly IDataProtector _secrets = protection.CreateProtector("PreferenceCenter.Webhooks.Secret.v1");

    /// <summary>Registers a subscriber; it receives the changes committed from now on. Returns the plain secret once.</summary>
    /// <exception cref="ArgumentException">The URL, name or filter is not acceptable; the message says why.</exception>
    public async Task<WebhookSubscriberCreated> CreateAsync(string name, string url, IEnumerable<Purpose> purposes, IEnumerable<ConsentAction> actions, CancellationToken cancellationToken = default)
    {
        if (CheckHost(url) is { } problem)
        {
            throw new ArgumentException(problem, nameof(url));
        }

        var secret = WebhookSignature.NewSecret();
        var subscriber = WebhookSubscriber.Create(name, url, purposes, actions, _secrets.Protect(secret), clock.GetUtcNow(), purposeRegistry.Current);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.WebhookSubscribers.Add(subscriber);
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookSubscriberCreated(subscriber, secret);
    }

    public async Task<IReadOnlyList<WebhookSubscriber>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookSubscribers.AsNoTracking().OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Pauses or resumes deliveries. A paused subscriber's deliveries wait; none is lost.</summary>
    public async Task SetActiveAsync(Guid id, bool active, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subscriber = await db.WebhookSubscribers.FirstAsync(s => s.Id == id, cancellationToken);
        subscriber.SetActive(active);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Null when the URL's host may be registered here; otherwise what to tell the admin.</summary>
    public string? CheckHost(string? url) =>
        options.Value.AllowPrivateNetworks || url is null || WebhookRules.TryCheckPublicHost(url.Trim(), out var problem) ? null : problem;

    internal string SecretOf(WebhookSubscriber subscriber) => _secrets.Unprotect(subscriber.ProtectedSecret);
}
