using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.Messaging;

public sealed record InboundSmsRequest(string MessageSid, string From, string To, string Body);

public sealed record InboundSmsResult(bool Duplicate, SmsIntent Intent, int ConsentEvents, string? Reply);

/// <summary>
/// Acts on a text a customer sent: STOP/START/HELP keywords, "please stop" phrases for review. One transaction per
/// message (keyed by MessageSid), so a retried webhook changes nothing and sends no second reply. The reply is queued
/// in that transaction (ADR 0030): once the change commits, the reply is promised, and the dispatcher sends it.
/// </summary>
public sealed partial class InboundSmsService(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TextQueueSignal queued,
    IOptions<SmsOptions> options,
    SmsTexts texts,
    PurposeRegistry purposeRegistry,
    PreferenceCenterMetrics metrics,
    TimeProvider clock,
    PhoneIndex phoneIndex,
    ConsentLedger ledger,
    OptIns.OptInRequests optIns,
    SignIn.SignInLinks links,
    ILogger<InboundSmsService> logger)
{
    public async Task<InboundSmsResult> HandleAsync(InboundSmsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = Normalise(request.From);
        var to = Normalise(request.To);
        var ownKeyword = optIns.PurposeForKeyword(request.Body);
        var intent = ownKeyword is null ? SmsKeywords.Classify(request.Body) : SmsIntent.Join;
        var now = clock.GetUtcNow();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        if (await db.InboundSms.AnyAsync(m => m.MessageSid == request.MessageSid, cancellationToken))
        {
            LogDuplicate(new MaskedPhone(from));
            return new InboundSmsResult(true, intent, 0, null);
        }

        var message = InboundSms.Receive(request.MessageSid, from, to, request.Body, intent, now);
        db.InboundSms.Add(message);
        await db.SaveChangesAsync(cancellationToken);

        var customers = await db.CustomerPhones.Where(p => p.PhoneE164 == from && p.ReplacedAt == null).Select(p => p.CustomerId).ToListAsync(cancellationToken);
        var purposes = intent == SmsIntent.OptOutAll ? purposeRegistry.Current.All
            : ownKeyword is { } own ? [own]
            : purposeRegistry.PurposesSentFrom(to);
        var evidence = new ConsentEvidence(ConsentMethod.Sms, "customer-by-sms", null, null, null, $"texted {Keyword(request.Body)} to {to} (MessageSid {request.MessageSid})");
        var writer = tx.Writer;

        // Replies go out in the language of whoever has this number (the default for a stranger).
        var language = intent is SmsIntent.None or SmsIntent.PossibleOptOut ? texts.DefaultLanguage : await texts.LanguageForAsync(db, customers, cancellationToken);
        var (events, reply, outcome) = intent switch
        {
            SmsIntent.OptOut or SmsIntent.OptOutAll => await OptOutAsync(db, writer, customers, from, purposes, evidence, request.MessageSid, now, language, cancellationToken),
            SmsIntent.OptIn => await OptInAsync(db, writer, customers, from, purposes, evidence, language, cancellationToken),
            SmsIntent.Confirm => await optIns.ConfirmAsync(db, writer, message, now, cancellationToken)
                ?? await OptInAsync(db, writer, customers, from, purposes, evidence, language, cancellationToken),
            SmsIntent.Join => await JoinAsync(db, message, purposes, language, now, cancellationToken),
            SmsIntent.Help => (0, texts.Help(language, options.Value.BusinessName, options.Value.SupportContact, purposeRegistry.PurposesSentFrom(to), links.IssueTextLink(db, from, now)), "help sent"),
            SmsIntent.PossibleOptOut => QueueForReview(db, message, customers, now),
            _ => (0, (string?)null, "no keyword"),
        };

        message.Record(outcome);
        if (reply is not null)
        {
            // From the number the customer texted, committed with the change or not at all.
            db.QueuedTexts.Add(QueuedText.Reply(from, to, reply, now));
        }

        await tx.CommitAsync(cancellationToken);
        metrics.SmsInbound(intent.ToString());
        LogHandled(new MaskedPhone(from), intent, events);

        // The webhook's answer does not wait for the provider: the dispatcher sends (and retries) it.
        if (reply is not null)
        {
            queued.Poke();
        }

        return new InboundSmsResult(false, intent, events, reply);
    }

    private async Task<(int, string?, string)> OptOutAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, List<Guid> customers, string from, IReadOnlyList<Purpose> purposes, ConsentEvidence evidence, string source, DateTimeOffset now, string language, CancellationToken ct)
    {
        var events = 0;
        foreach (var customer in customers)
        {
            foreach (var state in await db.ConsentStates.Where(s => s.CustomerId == customer && s.Granted && purposes.Contains(s.Purpose)).ToListAsync(ct))
            {
                var result = await writer.AppendAsync(customer, state.Purpose, ConsentAction.Revoked, state.PhoneE164, state.ConsentTextId, evidence, ct);
                events += result.Outcome == ConsentChangeOutcome.Changed ? 1 : 0;
            }
        }

        // The number itself is suppressed too, whoever owns it now or later.
        var newSuppressions = await Suppressions.SuppressAsync(db, phoneIndex, from, purposes, source, now, ct);

        // A STOP while a confirmation request waits is its answer: no.
        await OptIns.OptInRequests.CancelOpenAsync(db, from, purposes, $"cancelled by STOP (MessageSid {source})", now, ct);

        // A repeated STOP changes nothing and gets no second reply.
        var reply = events + newSuppressions > 0
            ? texts.Format(language, "OptOutReply", options.Value.BusinessName, texts.Describe(language, purposes))
            : null;
        return (events, reply, $"opted out of {string.Join(", ", purposes)}: {events} consent events");
    }

    private async Task<(int, string?, string)> JoinAsync(PreferenceCenterDbContext db, InboundSms message, IReadOnlyList<Purpose> purposes, string language, DateTimeOffset now, CancellationToken ct)
    {
        var (reply, outcome) = await optIns.OpenByKeywordAsync(db, message, purposes, language, now, ct);
        return (0, reply, outcome);
    }

    private async Task<(int, string?, string)> OptInAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, List<Guid> customers, string from, IReadOnlyList<Purpose> purposes, ConsentEvidence evidence, string language, CancellationToken ct)
    {
        // START restores only what a STOP by text revoked, and only for a number a customer verified.
        var restored = new List<Purpose>();
        foreach (var customer in customers)
        {
            foreach (var purpose in purposes)
            {
                var last = await db.ConsentEvents.Where(e => e.CustomerId == customer && e.Purpose == purpose).OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
                if (last is { Action: ConsentAction.Revoked, Method: ConsentMethod.Sms } && last.PhoneE164 == from)
                {
                    var result = await writer.AppendAsync(customer, purpose, ConsentAction.Granted, from, last.ConsentTextId, evidence, ct);
                    if (result.Outcome == ConsentChangeOutcome.Changed)
                    {
                        restored.Add(purpose);
                    }
                }
            }
        }

        if (restored.Count == 0)
        {
            return (0, null, "START with nothing to restore");
        }

        // The ledger writer lifted the suppressions of the restored purposes with the grants.
        var distinct = restored.Distinct().ToList();
        return (restored.Count, texts.Format(language, "OptInReply", options.Value.BusinessName, texts.Describe(language, distinct)), $"restored {texts.Describe(Languages.English, distinct)}");
    }

    private static (int, string?, string) QueueForReview(PreferenceCenterDbContext db, InboundSms message, List<Guid> customers, DateTimeOffset now)
    {
        db.ReviewItems.Add(ReviewItem.Open(message, customers.Count == 1 ? customers[0] : null, now));
        return (0, null, "queued for review");
    }

    private static string Keyword(string body)
    {
        var trimmed = body.Trim().ToUpperInvariant();
        return trimmed.Length > 20 ? trimmed[..20] : trimmed;
    }

    private static string Normalise(string raw) =>
        PhoneNumber.TryParse(raw, null, out var number, out _) ? number.E164 : (raw.Trim() is var t && t.Length > 16 ? t[..16] : t);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound text from {MaskedPhone}: {Intent}, {Events} consent events")]
    private partial void LogHandled(MaskedPhone maskedPhone, SmsIntent intent, int events);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbound text from {MaskedPhone} was already handled (same MessageSid)")]
    private partial void LogDuplicate(MaskedPhone maskedPhone);
}
