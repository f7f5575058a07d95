using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PhoneNumbers;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Customers;

/// <summary>
/// Erasure in one transaction: revoke, blank personal fields (typed reasons included), drop the customer's ledger key,
/// their sign-in account and every table row that names their numbers; suppressions stay, keyed by the number's keyed
/// hash (docs/decisions/0009, 0027). The write-ahead log is folded into the database file only after all of it.
/// </summary>
public sealed partial class CustomerErasure(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    ConsentLedger ledger,
    ILogger<CustomerErasure> logger) : ICustomerErasure
{
    private const string Erased = "[erased]";

    public async Task<ErasureReport?> EraseForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, clock.GetUtcNow(), cancellationToken);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken);
        var report = customer is null ? null : await EraseCustomerAsync(db, tx.Writer, customer, cancellationToken);

        // An account without a customer record (or whose record was erased before) still goes.
        await DeleteAccountAsync(db, userId, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await FoldWriteAheadLogAsync(db, cancellationToken);
        LogAccountDeleted(report?.CustomerId);
        return report;
    }

    public async Task<ErasureReport> EraseAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, clock.GetUtcNow(), cancellationToken);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw new InvalidOperationException("No such customer.");
        var userId = customer.UserId;
        var report = await EraseCustomerAsync(db, tx.Writer, customer, cancellationToken);
        if (userId is not null)
        {
            await DeleteAccountAsync(db, userId, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        await FoldWriteAheadLogAsync(db, cancellationToken);
        return report;
    }

    private async Task<ErasureReport> EraseCustomerAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, Customer customer, CancellationToken cancellationToken)
    {
        var customerId = customer.Id;
        if (customer.ErasedAt is not null)
        {
            return new ErasureReport(customerId, true, 0, 0, 0);
        }

        var now = clock.GetUtcNow();

        // The last word of the log is "no consent", sealed while the key still exists.
        var evidence = new ConsentEvidence(ConsentMethod.Web, $"customer:{customerId}", null, null, null, ConsentReasons.AccountDeleted);
        var revoked = await writer.RevokeAllAsync(customerId, null, evidence, cancellationToken);
        customer.MarkErased(now);
        await db.SaveChangesAsync(cancellationToken);

        var numbers = await db.CustomerPhones.Where(p => p.CustomerId == customerId).Select(p => p.PhoneE164)
            .Union(db.ConsentEvents.Where(e => e.CustomerId == customerId && e.PhoneE164 != string.Empty).Select(e => e.PhoneE164))
            .Union(db.VerificationChallenges.Where(c => c.CustomerId == customerId).Select(c => c.PhoneE164))
            .ToListAsync(cancellationToken);

        // A reason someone typed is personal from encoding version 3 on (it is under the digest there); the app's own
        // reasons and the reasons of older events are in the hashed bytes and stay. The trigger allows exactly this.
        var plainReasons = LedgerEncoding.PlainReasons.ToList();
        var events = await db.ConsentEvents.Where(e => e.CustomerId == customerId)
            .ExecuteUpdateAsync(
                set => set.SetProperty(e => e.PhoneE164, string.Empty).SetProperty(e => e.IpAddress, (string?)null).SetProperty(e => e.UserAgent, (string?)null)
                    .SetProperty(e => e.Reason, e => e.EncodingVersion >= 3 && e.Reason != null && !plainReasons.Contains(e.Reason) ? null : e.Reason),
                cancellationToken);
        await db.ConsentStates.Where(s => s.CustomerId == customerId).ExecuteUpdateAsync(set => set.SetProperty(s => s.PhoneE164, string.Empty), cancellationToken);
        await db.CustomerLedgerKeys.Where(k => k.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        await db.CustomerPhones.Where(p => p.CustomerId == customerId).ExecuteDeleteAsync(cancellationToken);
        // Sign-in codes and links are found by number too: a sign-in that was never completed names no customer (ADR 22).
        await db.VerificationChallenges.Where(c => c.CustomerId == customerId || numbers.Contains(c.PhoneE164)).ExecuteDeleteAsync(cancellationToken);
        await db.SignInLinks.Where(l => l.CustomerId == customerId || numbers.Contains(l.PhoneE164)).ExecuteDeleteAsync(cancellationToken);
        await db.SmsOutbox.Where(m => numbers.Contains(m.ToE164)).ExecuteDeleteAsync(cancellationToken);
        await db.QueuedTexts.Where(t => numbers.Contains(t.ToE164)).ExecuteDeleteAsync(cancellationToken);
        await db.PendingConfirmations.Where(c => numbers.Contains(c.ToE164)).ExecuteDeleteAsync(cancellationToken);
        await db.OptInRequests.Where(r => r.CustomerId == customerId || numbers.Contains(r.PhoneE164)).ExecuteDeleteAsync(cancellationToken);
        await db.InboundSms.Where(m => numbers.Contains(m.FromE164)).ExecuteUpdateAsync(set => set.SetProperty(m => m.FromE164, string.Empty).SetProperty(m => m.Body, Erased), cancellationToken);

        // The resolution repeats the agent's typed reason, which may name the caller.
        await db.ReviewItems.Where(r => r.CustomerId == customerId || numbers.Contains(r.FromE164)).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.FromE164, string.Empty).SetProperty(r => r.Body, Erased).SetProperty(r => r.Resolution, r => r.Resolution == null ? null : Erased),
            cancellationToken);
        await RedactIdempotencyRecordsAsync(db, customerId, numbers, cancellationToken);

        // A STOP must outlive the person who sent it: keep the row, forget the number, look it up by keyed hash.
        var suppressions = await db.SmsSuppressions.Where(s => numbers.Contains(s.PhoneE164))
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.PhoneE164, string.Empty), cancellationToken);

        var report = new ErasureReport(customerId, false, revoked.Count(r => r.Event is not null), events, suppressions);
        LogErased(customerId, report.ConsentsRevoked, report.EventsErased, report.SuppressionsKept);
        return report;
    }

    /// <summary>
    /// The sign-in account and everything Identity keeps beside it (email, password hash, logins, tokens, passkeys),
    /// inside the erasure's transaction, so that the checkpoint after it overwrites them too. No password is asked
    /// for here: an account may have none (phone-only sign-in); the page decides who may ask.
    /// </summary>
    private static async Task DeleteAccountAsync(PreferenceCenterDbContext db, string userId, CancellationToken cancellationToken)
    {
        await db.Customers.Where(c => c.UserId == userId).ExecuteUpdateAsync(set => set.SetProperty(c => c.UserId, (string?)null), cancellationToken);
        await db.UserClaims.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserPasskeys.Where(p => p.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Stored API answers (a revoke's event, an import's rows) name the number, JSON-escaped (<c>\u002B44…</c>). Every
    /// string in them that contains the number's national digits is blanked; a retry with the key still gets the
    /// answer, without the number. A key that itself contains the number goes with its record.
    /// </summary>
    private static async Task RedactIdempotencyRecordsAsync(PreferenceCenterDbContext db, Guid customerId, List<string> numbers, CancellationToken cancellationToken)
    {
        var digits = numbers.Select(NationalDigits).Where(d => d.Length >= 6).Distinct().ToList();
        var id = customerId.ToString("D");
        var candidates = new Dictionary<(Guid, string), Integrations.IdempotencyRecord>();
        foreach (var pattern in digits.Append(id))
        {
            var like = $"%{pattern}%";
            foreach (var record in await db.IdempotencyRecords.Where(r => EF.Functions.Like(r.ResponseJson, like) || EF.Functions.Like(r.Request, like) || EF.Functions.Like(r.Key, like)).ToListAsync(cancellationToken))
            {
                candidates[(record.IntegrationId, record.Key)] = record;
            }
        }

        foreach (var record in candidates.Values)
        {
            if (digits.Any(d => Mentions(record.Key, d)))
            {
                db.IdempotencyRecords.Remove(record);
                continue;
            }

            var redacted = Redact(record.ResponseJson, digits);
            if (redacted != record.ResponseJson)
            {
                db.Entry(record).Property(r => r.ResponseJson).CurrentValue = redacted;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Redact(string json, List<string> digits)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return digits.Any(d => Mentions(json, d)) ? "{}" : json;
        }

        return root is null || !Blank(root, digits) ? json : root.ToJsonString();
    }

    /// <summary>Blanks every string value under <paramref name="node"/> that mentions one of the numbers; true if any.</summary>
    private static bool Blank(JsonNode node, List<string> digits)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text) && digits.Any(d => Mentions(text, d)))
                    {
                        obj[name] = string.Empty;
                        changed = true;
                    }
                    else if (child is not null)
                    {
                        changed |= Blank(child, digits);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text) && digits.Any(d => Mentions(text, d)))
                    {
                        array[i] = string.Empty;
                        changed = true;
                    }
                    else if (array[i] is { } child)
                    {
                        changed |= Blank(child, digits);
                    }
                }

                break;
        }

        return changed;
    }

    /// <summary>Whether the digits of <paramref name="text"/> (spaces, dashes and the like ignored) contain the number's.</summary>
    private static bool Mentions(string text, string nationalDigits) =>
        new string(text.Where(char.IsAsciiDigit).ToArray()).Contains(nationalDigits, StringComparison.Ordinal);

    /// <summary>The national significant number (<c>7700900456</c> of <c>+447700900456</c>): what every written form of it contains.</summary>
    private static string NationalDigits(string e164)
    {
        try
        {
            var util = PhoneNumberUtil.GetInstance();
            return util.GetNationalSignificantNumber(util.Parse(e164, null));
        }
        catch (NumberParseException)
        {
            return new string(e164.Where(char.IsAsciiDigit).ToArray());
        }
    }

    private static async Task FoldWriteAheadLogAsync(PreferenceCenterDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // Old page images of the erased rows live in the WAL until a checkpoint; fold them in now, best effort.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} erased: {Revoked} consents revoked, {Events} events anonymised, {Suppressions} suppressions kept by keyed hash")]
    private partial void LogErased(Guid customerId, int revoked, int events, int suppressions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in account deleted with its customer record {CustomerId}")]
    private partial void LogAccountDeleted(Guid? customerId);
}
