using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.OptIns;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Infrastructure.Customers;
using PreferenceCenter.Infrastructure.Integrations;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Phones;
using PreferenceCenter.Infrastructure.Purposes;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.OptIns;

/// <summary>A request to text a confirmation request to a number: from a till, an agent or another system.</summary>
public sealed record OptInRequestCommand(string PhoneE164, Purpose Purpose, string Language, string Source, string RequestedBy, string? RequestedFromIp);

/// <summary>A request as staff and integrations see it.</summary>
public sealed record OptInRequestView(
    long Id,
    string PhoneE164,
    Purpose Purpose,
    string Language,
    string Source,
    string RequestedBy,
    OptInRequestStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ResolvedAt,
    string RequestText,
    string? KeywordText,
    string? ReplyText,
    long? ConsentEventSequence)
{
    public static OptInRequestView From(OptInRequest r, DateTimeOffset now) =>
        new(r.Id, r.PhoneE164, r.Purpose, r.Language, r.Source, r.RequestedBy, r.StatusAt(now), r.CreatedAt, r.ExpiresAt, r.ResolvedAt, r.RequestText, r.KeywordText, r.ReplyText, r.ConsentEventSequence);
}

public sealed record OptInRequestResult(OptInRefusal Refusal, OptInRequestView? Request);

/// <summary>
/// Double opt-in by text (ADR 0034). A keyword from the number, or a till, an agent or a system asking for it, sends one
/// confirmation request; only a YES (or SÍ) from that number within <see cref="OptInRequestOptions.ConfirmWithinHours"/>
/// grants, through the ledger, in the transaction that records the reply. Requests are queued texts, committed with
/// their row, so a crash never loses one.
/// </summary>
public sealed partial class OptInRequests(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    PurposeRegistry purposes,
    SmsTexts texts,
    IOptions<OptInRequestOptions> options,
    IOptions<SmsOptions> sms,
    IOptions<PhoneOptions> holding,
    PhoneIndex phoneIndex,
    TextQueueSignal queued,
    TimeProvider clock,
    ILogger<OptInRequests> logger)
{
    public TimeSpan ConfirmWithin => options.Value.ConfirmWithin;

    /// <summary>Sends a confirmation request unless the throttle refuses; <paramref name="receipt"/> (an idempotency record) commits with it.</summary>
    public async Task<OptInRequestResult> RequestAsync(OptInRequestCommand command, Func<OptInRequestResult, IdempotencyRecord>? receipt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = clock.GetUtcNow();
        var language = Languages.Match(command.Language) ?? texts.DefaultLanguage;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var refusal = await EvaluateAsync(db, command.PhoneE164, command.Purpose, byKeyword: false, now, cancellationToken);
        OptInRequestResult result;
        if (refusal != OptInRefusal.None)
        {
            result = new OptInRequestResult(refusal, null);
            LogRefused(new MaskedPhone(command.PhoneE164), command.Purpose, refusal);
        }
        else
        {
            var from = purposes.SendingNumberFor(command.Purpose);
            var body = RequestText(language, [command.Purpose]);
            var request = OptInRequest.Create(command.PhoneE164, from ?? string.Empty, command.Purpose, language, command.Source, command.RequestedBy, command.RequestedFromIp, body, null, null, now, ConfirmWithin);
            db.OptInRequests.Add(request);
            db.QueuedTexts.Add(QueuedText.OptInRequest(command.PhoneE164, from, body, now));
            await db.SaveChangesAsync(cancellationToken);
            result = new OptInRequestResult(OptInRefusal.None, OptInRequestView.From(request, now));
            LogRequested(new MaskedPhone(command.PhoneE164), command.Purpose, command.Source);
        }

        if (receipt is not null)
        {
            db.IdempotencyRecords.Add(receipt(result));
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (result.Request is not null)
        {
            queued.Poke();
        }

        return result;
    }

    /// <summary>Every request made to <paramref name="phoneE164"/>, newest first.</summary>
    public async Task<IReadOnlyList<OptInRequestView>> ForNumberAsync(string phoneE164, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows = await db.OptInRequests.AsNoTracking().Where(r => r.PhoneE164 == phoneE164).OrderByDescending(r => r.Id).Take(100).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => OptInRequestView.From(r, now));
    }

    /// <summary>Requests to any number the customer has held, and those they confirmed, newest first.</summary>
    public async Task<IReadOnlyList<OptInRequestView>> ForCustomerAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var numbers = db.CustomerPhones.Where(p => p.CustomerId == customerId).Select(p => p.PhoneE164);
        var rows = await db.OptInRequests.AsNoTracking()
            .Where(r => r.CustomerId == customerId || numbers.Contains(r.PhoneE164))
            .OrderByDescending(r => r.Id).Take(100).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => OptInRequestView.From(r, now));
    }

    /// <summary>The request behind a grant, for its receipt.</summary>
    public async Task<OptInRequestView?> ForGrantAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.OptInRequests.AsNoTracking().FirstOrDefaultAsync(r => r.ConsentEventSequence == sequence, cancellationToken);
        return row is null ? null : OptInRequestView.From(row, clock.GetUtcNow());
    }

    /// <summary>
    /// A join keyword, inside the inbound text's transaction: opens a request for each purpose that has none open and
    /// is not granted, and returns the one text to reply with (the request, or "you already get these").
    /// </summary>
    internal async Task<(string? Reply, string Outcome)> OpenByKeywordAsync(PreferenceCenterDbContext db, InboundSms message, IReadOnlyList<Purpose> asked, string language, DateTimeOffset now, CancellationToken ct)
    {
        var opened = new List<Purpose>();
        var granted = new List<Purpose>();
        var open = new List<Purpose>();
        foreach (var purpose in asked)
        {
            switch (await EvaluateAsync(db, message.FromE164, purpose, byKeyword: true, now, ct))
            {
                case OptInRefusal.AlreadyGranted:
                    granted.Add(purpose);
                    break;
                case OptInRefusal.AlreadyOpen:
                    open.Add(purpose);
                    break;
                default:
                    opened.Add(purpose);
                    break;
            }
        }

        // Asked again while waiting: the same question again, once per keyword, and no second row.
        var toAsk = opened.Concat(open).ToList();
        if (toAsk.Count == 0)
        {
            return (texts.Format(language, "OptInAlreadyGranted", sms.Value.BusinessName, texts.Describe(language, granted)), $"join: already granted {string.Join(", ", granted)}");
        }

        var body = RequestText(language, toAsk);
        var keyword = SmsKeywords.Canonical(message.Body);
        foreach (var purpose in opened)
        {
            db.OptInRequests.Add(OptInRequest.Create(message.FromE164, message.ToE164, purpose, language, $"keyword:{Shorten(keyword, 40)}", "customer-by-sms", null, body, message.Body, message.MessageSid, now, ConfirmWithin));
        }

        LogJoined(new MaskedPhone(message.FromE164), opened.Count);
        return (body, $"join: asked to confirm {string.Join(", ", toAsk)}");
    }

    /// <summary>
    /// A YES, inside the inbound text's transaction: grants every open request of the number (the number's holder, or
    /// a new account for it: the reply proves it), or answers a late YES once with "expired". Null when the number has
    /// no request to speak of, so YES falls back to START.
    /// </summary>
    internal async Task<(int Events, string? Reply, string Outcome)?> ConfirmAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, InboundSms message, DateTimeOffset now, CancellationToken ct)
    {
        var requests = await db.OptInRequests.Where(r => r.PhoneE164 == message.FromE164 && r.Status == OptInRequestStatus.Open).OrderBy(r => r.Id).ToListAsync(ct);
        var open = requests.Where(r => r.IsOpenAt(now)).ToList();
        if (open.Count == 0)
        {
            var late = requests.Where(r => r.ExpiryNoticeAt is null).ToList();
            if (late.Count == 0)
            {
                return null;
            }

            late.ForEach(r => r.NoticeExpiry(now));
            var keyword = FirstKeyword(late[0].Purpose);
            return (0, texts.Format(late[0].Language, "OptInRequestExpired", sms.Value.BusinessName, keyword), "confirm: request expired");
        }

        var holder = await NumberHolders.ProveAsync(db, writer, message.FromE164, now, TimeSpan.FromDays(holding.Value.HolderGapDays), ct);
        var events = 0;
        foreach (var request in open)
        {
            var text = (await ConsentTexts.CurrentTexts.ReadAsync(db, [request.Purpose], request.Language, ct)).Single();
            var digest = OptInRequest.EvidenceSha256(request.RequestText, message.Body, request.KeywordMessageSid, message.MessageSid);
            var evidence = new ConsentEvidence(ConsentMethod.Sms, "customer-by-sms", null, null, request.Language, $"confirmed opt-in request {request.Id} by reply {Shorten(message.MessageSid, 40)}; texts sha256:{digest}");
            var result = await writer.ChangeAsync(holder.CustomerId, request.Purpose, ConsentAction.Granted, text.Id, evidence, ct);
            if (result.Event is { } grant)
            {
                await writer.QueueConfirmationAsync(grant, ct);
                events++;
            }

            request.Confirm(message.Body, message.MessageSid, holder.CustomerId, result.Event?.Sequence, now);
        }

        LogConfirmed(new MaskedPhone(message.FromE164), open.Count, events);
        return (events, null, $"confirm: {events} granted from {open.Count} requests");
    }

    /// <summary>STOP while a request waits cancels it: the answer to the request is no.</summary>
    internal static async Task CancelOpenAsync(PreferenceCenterDbContext db, string phoneE164, IReadOnlyCollection<Purpose> stopped, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var open = await db.OptInRequests.Where(r => r.PhoneE164 == phoneE164 && r.Status == OptInRequestStatus.Open).ToListAsync(ct);
        foreach (var request in open.Where(r => stopped.Contains(r.Purpose)))
        {
            request.Cancel(reason, now);
        }
    }

    /// <summary>A purpose's own keyword, if the whole text is one.</summary>
    public Purpose? PurposeForKeyword(string? body)
    {
        var canonical = SmsKeywords.Canonical(body);
        foreach (var (key, words) in options.Value.Keywords)
        {
            if (words.Any(w => string.Equals(SmsKeywords.Canonical(w), canonical, StringComparison.Ordinal)) && purposes.Current.TryParse(key, out var purpose))
            {
                return purpose;
            }
        }

        return null;
    }

    /// <summary>The word a poster tells people to text for <paramref name="purpose"/>: its own keyword, else JOIN.</summary>
    public string FirstKeyword(Purpose purpose) =>
        options.Value.Keywords.FirstOrDefault(k => string.Equals(k.Key, purpose.Key, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault()?.Trim().ToUpperInvariant()
        ?? SmsKeywords.JoinKeywords[0];

    /// <summary>"Reply YES to get …": brand, what, how often, rates, HELP and STOP (CTIA).</summary>
    public string RequestText(string language, IReadOnlyCollection<Purpose> asked)
    {
        var catalog = purposes.Current;
        var frequency = asked.Count == 1 && catalog.Contains(asked.First()) ? catalog.Definition(asked.First()).Frequency(language) : texts.Format(language, "FrequencyVaries");
        return texts.Format(language, "OptInRequest", sms.Value.BusinessName, texts.Describe(language, asked), frequency);
    }

    private async Task<OptInRefusal> EvaluateAsync(PreferenceCenterDbContext db, string phoneE164, Purpose purpose, bool byKeyword, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - OptInThrottle.Window;
        var recent = (await db.OptInRequests.AsNoTracking()
                .Where(r => r.PhoneE164 == phoneE164 && (r.CreatedAt > since || r.Status == OptInRequestStatus.Open))
                .ToListAsync(ct))
            .Select(r => new RecentOptInRequest(r.Purpose, r.CreatedAt, r.IsOpenAt(now), r.KeywordMessageSid is not null));
        var key = phoneIndex.KeyOf(phoneE164);
        var suppressed = await db.SmsSuppressions.AnyAsync(s => s.PhoneKey == key && s.Purpose == purpose && s.LiftedAt == null, ct);
        var granted = await (from p in db.CustomerPhones
                             join s in db.ConsentStates on p.CustomerId equals s.CustomerId
                             where p.PhoneE164 == phoneE164 && p.ReplacedAt == null && s.Purpose == purpose && s.Granted && s.PhoneE164 == phoneE164
                             select s.CustomerId).AnyAsync(ct);
        return OptInThrottle.Evaluate(recent, purpose, byKeyword, suppressed, granted, now, options.Value.MaxPerNumberPer30Days);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Opt-in request for {Purpose} texted to {MaskedPhone} ({Source})")]
    private partial void LogRequested(MaskedPhone maskedPhone, Purpose purpose, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opt-in request for {Purpose} to {MaskedPhone} refused: {Refusal}")]
    private partial void LogRefused(MaskedPhone maskedPhone, Purpose purpose, OptInRefusal refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MaskedPhone} confirmed {Requests} opt-in requests: {Granted} granted")]
    private partial void LogConfirmed(MaskedPhone maskedPhone, int requests, int granted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Join keyword from {MaskedPhone}: {Opened} opt-in requests opened")]
    private partial void LogJoined(MaskedPhone maskedPhone, int opened);
}
