using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Staff;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Staff;

public sealed partial class StaffConsole(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    IConsentService consents,
    IOptions<Phones.PhoneOptions> phoneOptions,
    TimeProvider clock,
    ILogger<StaffConsole> logger) : IStaffConsole
{
    public const int MaxQueryLength = 200;

    public async Task<CustomerSearchPage> SearchAsync(string? query, int page, int pageSize, StaffMember staff, CancellationToken cancellationToken = default)
    {
        var parsed = SearchQuery.Parse(query, phoneOptions.Value.DefaultRegion);
        if (parsed.Problem is not null)
        {
            return new CustomerSearchPage([], 0, parsed.Problem);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Customers.AsNoTracking();
        var matches = parsed.Kind switch
        {
            SearchKind.Phone => customers.Where(c => db.CustomerPhones.Any(p => p.CustomerId == c.Id && p.PhoneE164 == parsed.Value)),
            SearchKind.Email => customers.Where(c => db.Users.Any(u => u.Id == c.UserId && u.NormalizedEmail == parsed.Value)),
            _ => customers.Where(c => c.Id == parsed.CustomerId),
        };

        var total = await matches.CountAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, 100);
        var items = await matches
            .OrderBy(c => c.CreatedAt)
            .Skip(Math.Max(0, page) * size)
            .Take(size)
            .Select(c => new CustomerSearchResult(
                c.Id,
                db.Users.Where(u => u.Id == c.UserId).Select(u => u.Email).FirstOrDefault(),
                db.CustomerPhones.Where(p => p.CustomerId == c.Id && p.ReplacedAt == null).Select(p => p.PhoneE164).FirstOrDefault(),
                c.CreatedAt))
            .ToListAsync(cancellationToken);

        db.AccessRecords.Add(AccessRecord.Create(staff, AccessActions.Search, items.Count == 1 ? items[0].CustomerId : null, parsed.AuditText, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        LogSearch(staff.Email, parsed.Kind, total);
        return new CustomerSearchPage(items, total);
    }

    public async Task<Guid?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 256)
        {
            return null;
        }

        var normalised = email.Trim().ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Customers.Where(c => db.Users.Any(u => u.Id == c.UserId && u.NormalizedEmail == normalised))
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<CustomerDetail?> ViewCustomerAsync(Guid customerId, StaffMember staff, CancellationToken cancellationToken = default) =>
        LoadAndAuditAsync(customerId, staff, AccessActions.View, cancellationToken);

    public Task<CustomerDetail?> ExportCustomerAsync(Guid customerId, StaffMember staff, CancellationToken cancellationToken = default) =>
        LoadAndAuditAsync(customerId, staff, AccessActions.Export, cancellationToken);

    public async Task<IReadOnlyList<ConsentChangeResult>> RevokeOnBehalfAsync(Guid customerId, Purpose? purpose, RevocationChannel channel, string reason, StaffMember staff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A reason is required.", nameof(reason));
        }

        var evidence = new ConsentEvidence(ConsentMethod.Agent, staff.Actor, staff.IpAddress, null, null, $"{reason.Trim()} ({channel.Label()})");
        IReadOnlyList<ConsentChangeResult> results;
        if (purpose is { } one)
        {
            var state = (await consents.GetStatesAsync(customerId, cancellationToken)).Single(s => s.Purpose == one);
            results = state.Granted && state.ConsentTextId is { } textId
                ? [await consents.RevokeAsync(customerId, one, textId, evidence, cancellationToken)]
                : [new ConsentChangeResult(ConsentChangeOutcome.Unchanged, one)];
        }
        else
        {
            results = await consents.RevokeAllAsync(customerId, new Dictionary<Purpose, int>(), evidence, cancellationToken);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AccessRecords.Add(AccessRecord.Create(staff, AccessActions.Revoke, customerId, purpose?.ToString() ?? "all", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return results;
    }

    public async Task<ConsentActivity> GetActivityAsync(int days, CancellationToken cancellationToken = default)
    {
        var since = clock.GetUtcNow().AddDays(-Math.Clamp(days, 1, 366));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Only four small columns of the window's events cross the wire; the grouping by day happens here.
        var rows = await db.ConsentEvents.AsNoTracking().Where(e => e.OccurredAt >= since)
            .Select(e => new { e.OccurredAt, e.Purpose, e.Action, e.Method })
            .ToListAsync(cancellationToken);
        var daily = rows.GroupBy(r => (Day: DateOnly.FromDateTime(r.OccurredAt.UtcDateTime), r.Purpose, r.Action))
            .Select(g => new DailyChange(g.Key.Day, g.Key.Purpose, g.Key.Action, g.Count()))
            .OrderBy(d => d.Day)
            .ToList();
        var byMethod = rows.GroupBy(r => r.Method.StartsWith("embedded:", StringComparison.Ordinal) ? "embedded" : r.Method)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new ConsentActivity(daily, byMethod);
    }

    public async Task<AccessLogPage> GetAccessLogAsync(AccessLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = db.AccessRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.StaffEmail))
        {
            records = records.Where(a => a.StaffEmail == query.StaffEmail.Trim());
        }

        if (query.CustomerId is { } customerId)
        {
            records = records.Where(a => a.CustomerId == customerId);
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            records = records.Where(a => a.Action == query.Action);
        }

        var size = Math.Clamp(query.PageSize, 1, 200);
        var total = await records.CountAsync(cancellationToken);
        var items = await records.OrderByDescending(a => a.Id).Skip(Math.Max(0, query.Page) * size).Take(size).ToListAsync(cancellationToken);
        return new AccessLogPage(items, total);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> GetStaffViewsAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AccessRecords.AsNoTracking()
            .Where(a => a.CustomerId == customerId && a.Action != AccessActions.Search)
            .OrderByDescending(a => a.Id)
            .Select(a => a.At)
            .Take(50)
            .ToListAsync(cancellationToken);
    }

    private async Task<CustomerDetail?> LoadAndAuditAsync(Guid customerId, StaffMember staff, string action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return null;
        }

        var email = await db.Users.Where(u => u.Id == customer.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var phones = await db.CustomerPhones.AsNoTracking().Where(p => p.CustomerId == customerId).OrderBy(p => p.VerifiedAt)
            .Select(p => new CustomerPhoneHistory(p.PhoneE164, p.VerifiedAt, p.ReplacedAt, p.IsImported)).ToListAsync(ct);
        var events = await db.ConsentEvents.AsNoTracking().Where(e => e.CustomerId == customerId).ToListAsync(ct);
        var codes = await db.VerificationChallenges.AsNoTracking().Where(c => c.CustomerId == customerId)
            .Select(c => new { c.CreatedAt, c.PhoneE164 }).ToListAsync(ct);
        var shown = await db.ConsentTextImpressions.AsNoTracking().Where(i => i.CustomerId == customerId).ToListAsync(ct);
        var textIds = events.Select(e => e.ConsentTextId).Concat(shown.Select(i => i.ConsentTextId)).Distinct().ToList();
        var texts = await db.ConsentTexts.AsNoTracking().Where(t => textIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);

        var timeline = events.Select(e => new TimelineEntry(e.OccurredAt, e.Action == ConsentAction.Granted ? TimelineKind.Granted : TimelineKind.Revoked, e.Purpose, e.PhoneE164, e.Method, e.Actor, e.IpAddress, e.UserAgent, e.ConsentTextId, e.Reason, e.Sequence)
            {
                RecordedAt = e.RecordedAt,
                Locale = e.Locale,
                Origin = e.Origin,
                TextSha256 = e.TextSha256,
                Hash = e.Hash,
            })
            .Concat(shown.Select(i => new TimelineEntry(i.ShownAt, TimelineKind.TextShown, texts[i.ConsentTextId].Purpose, null, i.Method, $"customer:{customerId}", null, null, i.ConsentTextId, null, null) { Origin = i.Origin, TextSha256 = texts[i.ConsentTextId].TextSha256 }))
            .Concat(codes.Select(c => new TimelineEntry(c.CreatedAt, TimelineKind.CodeSent, null, c.PhoneE164, null, "system", null, null, null, null, null)))
            .Concat(phones.Select(p => new TimelineEntry(p.VerifiedAt, TimelineKind.NumberVerified, null, p.PhoneE164, null, $"customer:{customerId}", null, null, null, null, null)))
            .Concat(phones.Where(p => p.ReplacedAt is not null).Select(p => new TimelineEntry(p.ReplacedAt!.Value, TimelineKind.NumberReplaced, null, p.PhoneE164, null, $"customer:{customerId}", null, null, null, null, null)))
            .OrderByDescending(t => t.At)
            .ThenByDescending(t => t.Sequence ?? 0)
            .ToList();

        db.AccessRecords.Add(AccessRecord.Create(staff, action, customerId, null, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        LogAccess(staff.Email, action);
        var states = await consents.GetStatesAsync(customerId, ct);
        return new CustomerDetail(customerId, email, customer.CreatedAt, phones, states, timeline, texts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff {StaffEmail} searched customers by {Kind}: {Total} found")]
    private partial void LogSearch(string staffEmail, SearchKind kind, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff {StaffEmail} {Action} a customer record")]
    private partial void LogAccess(string staffEmail, string action);
}

internal enum SearchKind
{
    Phone,
    Email,
    CustomerId,
}

/// <summary>What an agent typed: a phone number in any format, an email, or a customer id. Never a free-text scan.</summary>
internal sealed record SearchQuery(SearchKind Kind, string Value, Guid CustomerId, string? Problem, string AuditText)
{
    public static SearchQuery Parse(string? input, string defaultRegion)
    {
        var text = input?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return Invalid("Type a phone number, an email address or a customer id.");
        }

        if (text.Length > StaffConsole.MaxQueryLength)
        {
            return Invalid($"That is too long to be a phone number, email or customer id (at most {StaffConsole.MaxQueryLength} characters).");
        }

        if (Guid.TryParse(text, out var id))
        {
            return new SearchQuery(SearchKind.CustomerId, text, id, null, $"id {id}");
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            return new SearchQuery(SearchKind.Email, text.ToUpperInvariant(), Guid.Empty, null, "email " + MaskEmail(text));
        }

        if (PhoneNumber.TryParse(text, defaultRegion, out var phone, out var error))
        {
            return new SearchQuery(SearchKind.Phone, phone.E164, Guid.Empty, null, "phone " + phone.Masked);
        }

        return Invalid($"No match: that is not an email, a customer id or a phone number we can read ({PhoneNumberMessages.For(error)})");
    }

    private static SearchQuery Invalid(string problem) => new(SearchKind.Phone, string.Empty, Guid.Empty, problem, string.Empty);

    private static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "•" + email[Math.Max(at, 0)..] : email[0] + new string('•', at - 1) + email[at..];
    }
}
