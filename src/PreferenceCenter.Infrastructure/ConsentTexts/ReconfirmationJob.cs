using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>What one run did.</summary>
public sealed record ReconfirmationRun(bool Leased, int Lapsed, int Notified);

/// <summary>
/// After a material change: revokes promotions consents whose re-confirmation deadline passed (by the system, reason
/// "not reconfirmed after change") and texts each customer still asked once. One instance at a time holds the
/// job's lease; the SMS "once" is a unique row claimed before sending (ADR 0016).
/// </summary>
public sealed partial class ReconfirmationJob(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    IConsentService consents,
    ISmsGateway gateway,
    SmsTexts texts,
    IOptions<ConsentTextOptions> options,
    IOptions<SmsOptions> smsOptions,
    PurposeRegistry purposeRegistry,
    SignIn.SignInLinks links,
    TimeProvider clock,
    ILogger<ReconfirmationJob> logger)
{
    public const string LeaseName = "consent-text-reconfirmation";

    /// <summary>The evidence of a lapse: nobody clicked anything, the deadline passed.</summary>
    public static readonly ConsentEvidence LapseEvidence = new(ConsentMethod.System, "system", null, null, null, ConsentReasons.NotReconfirmed);

    /// <summary>This process's name on the lease.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private sealed record Candidate(Guid CustomerId, Purpose Purpose, string PhoneE164, int TextId, long Sequence);

    public async Task<ReconfirmationRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await TryLeaseAsync(cancellationToken))
        {
            return new ReconfirmationRun(false, 0, 0);
        }

        var link = PreferencesUrl();
        if (link is null)
        {
            LogNoLink();
        }

        int lapsed = 0, notified = 0;
        var cursor = 0L;
        while (true)
        {
            var (published, batch) = await NextBatchAsync(cursor, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var now = clock.GetUtcNow();
            var byId = published.ToDictionary(t => t.Id);
            foreach (var candidate in batch)
            {
                if (!byId.TryGetValue(candidate.TextId, out var consentedTo) || ConsentTextChanges.PendingFor(consentedTo, published, purposeRegistry.Current) is not { } change)
                {
                    continue;
                }

                if (change.HasLapsed(now) && change.DeadlineVersion is { } lapsedVersion)
                {
                    var result = await consents.RevokeAsync(candidate.CustomerId, candidate.Purpose, lapsedVersion.Id, LapseEvidence, cancellationToken);
                    lapsed += result.Event is null ? 0 : 1;
                }
                else if (link is not null && await NotifyOnceAsync(candidate, change, link, cancellationToken))
                {
                    notified++;
                }
            }

            cursor = batch[^1].Sequence;

            // Still ours? Another instance may have taken over a lease that ran out during a slow batch.
            if (!await TryLeaseAsync(cancellationToken))
            {
                break;
            }
        }

        if (lapsed + notified > 0)
        {
            LogRun(lapsed, notified);
        }

        return new ReconfirmationRun(true, lapsed, notified);
    }

    private async Task<(List<ConsentText> Published, List<Candidate> Batch)> NextBatchAsync(long after, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var published = await db.ConsentTexts.AsNoTracking().Where(t => t.Status == ConsentTextStatus.Published).ToListAsync(cancellationToken);
        var material = db.ConsentTexts.Where(m => m.Status == ConsentTextStatus.Published && m.Kind == ConsentTextKind.Material);

        // Granted consents whose text has a newer material version, in projection order (a stable keyset).
        var batch = await db.ConsentStates.AsNoTracking()
            .Where(s => s.Granted && s.LastSequence > after)
            .Join(db.ConsentTexts, s => s.ConsentTextId, t => t.Id, (s, t) => new { s, t })
            .Where(x => material.Any(m => m.Purpose == x.t.Purpose && m.Language == x.t.Language && m.Version > x.t.Version))
            .OrderBy(x => x.s.LastSequence)
            .Take(options.Value.BatchSize)
            .Select(x => new Candidate(x.s.CustomerId, x.s.Purpose, x.s.PhoneE164, x.s.ConsentTextId, x.s.LastSequence))
            .ToListAsync(cancellationToken);
        return (published, batch);
    }

    /// <summary>Claims (customer, version) first, then sends: a crash after the claim means no text rather than two.</summary>
    private async Task<bool> NotifyOnceAsync(Candidate candidate, PendingTextChange change, string link, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.TextChangeNotices.AnyAsync(n => n.CustomerId == candidate.CustomerId && n.ConsentTextId == change.Latest.Id, cancellationToken))
        {
            return false;
        }

        // In the customer's language by the rule every text follows (chosen, else their latest page change's, else the
        // default). Looked up before the claim: a failure here leaves nothing claimed, so the next run tries again.
        var language = await texts.LanguageForAsync(db, [candidate.CustomerId], cancellationToken);
        // Their own single-use link opens their page without a code (ADR 22); saved with the claim below.
        var manage = links.IssueTextLink(db, candidate.PhoneE164, clock.GetUtcNow()) ?? link;
        var body = texts.TextChangeNotice(language, smsOptions.Value.BusinessName, change.Purpose, manage);

        var notice = TextChangeNotice.Claim(candidate.CustomerId, change.Latest.Id, clock.GetUtcNow());
        db.TextChangeNotices.Add(notice);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance claimed it a moment ago: it sends, we do not.
            return false;
        }

        TextChangeNoticeOutcome outcome;
        try
        {
            // The gateway checks current consent and STOP, and sends from the purpose's own number.
            var sent = await gateway.SendAsync(candidate.PhoneE164, candidate.Purpose, body, cancellationToken);
            outcome = sent ? TextChangeNoticeOutcome.Sent : TextChangeNoticeOutcome.Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(new MaskedPhone(candidate.PhoneE164), change.Latest.Id, ex);
            outcome = TextChangeNoticeOutcome.Failed;
        }

        notice.Complete(outcome, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        return outcome == TextChangeNoticeOutcome.Sent;
    }

    /// <summary>Takes or renews the job's lease; false while another instance holds it.</summary>
    internal async Task<bool> TryLeaseAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + options.Value.LeaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var taken = await db.JobLeases
            .Where(l => l.Name == LeaseName && (l.Owner == Owner || l.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, Owner).SetProperty(l => l.LeaseUntil, until), cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.JobLeases.AnyAsync(l => l.Name == LeaseName, cancellationToken))
        {
            return false;
        }

        try
        {
            db.JobLeases.Add(JobLease.Create(LeaseName, Owner, until));
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created the lease first.
            return false;
        }
    }

    private string? PreferencesUrl() =>
        options.Value.PreferencesUrl is { Length: > 0 } url ? url
        : smsOptions.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? baseUrl.TrimEnd('/') + "/preferences"
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent-text re-confirmation: {Lapsed} consents lapsed, {Notified} customers texted")]
    private partial void LogRun(int lapsed, int notified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ConsentTexts:PreferencesUrl or Sms:PublicBaseUrl configured: customers are not texted about consent-text changes until one is")]
    private partial void LogNoLink();

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not text {MaskedPhone} about consent text {TextId}; not retried, so nobody is texted twice")]
    private partial void LogSendFailed(MaskedPhone maskedPhone, int textId, Exception exception);
}
