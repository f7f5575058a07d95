using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Domain.Phones;
using PreferenceCenter.Domain.Verification;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Customers;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Observability;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;
using PreferenceCenter.Infrastructure.SignIn;

namespace PreferenceCenter.Infrastructure.Verification;

public sealed partial class PhoneVerificationService(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    ISmsSender sms,
    SmsTexts texts,
    VerificationCodes codes,
    IOptions<VerificationOptions> options,
    IOptions<Phones.PhoneOptions> holding,
    SignInLinks links,
    PreferenceCenterMetrics metrics,
    TimeProvider clock,
    Ledger.ConsentLedger ledger,
    ILogger<PhoneVerificationService> logger) : IPhoneVerificationService
{
    private readonly VerificationPolicy _policy = options.Value.ToPolicy();

    public Task<SendCodeResult> SendCodeAsync(Guid customerId, PhoneNumber number, string? requestIp = null, CancellationToken cancellationToken = default) =>
        SendAsync(c => c.CustomerId == customerId, (id, hash, now) => VerificationChallenge.Create(id, customerId, number.E164, hash, now, _policy, requestIp), number, requestIp, cancellationToken);

    public Task<SendCodeResult> SendSignInCodeAsync(Guid flowId, PhoneNumber number, string? requestIp = null, CancellationToken cancellationToken = default) =>
        SendAsync(c => c.FlowId == flowId, (id, hash, now) => VerificationChallenge.ForSignIn(id, flowId, number.E164, hash, now, _policy, requestIp), number, requestIp, cancellationToken);

    private async Task<SendCodeResult> SendAsync(
        System.Linq.Expressions.Expression<Func<VerificationChallenge, bool>> isMine,
        Func<Guid, byte[], DateTimeOffset, VerificationChallenge> create,
        PhoneNumber number,
        string? requestIp,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var code = VerificationCodes.NewCode();
        VerificationChallenge challenge;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Inside the write transaction so that two quick clicks cannot both pass the cooldown.
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var mine = await db.VerificationChallenges.Where(isMine).Where(c => c.CreatedAt > hourAgo)
                .Select(c => new { c.CreatedAt, Used = c.VerifiedAt != null }).ToListAsync(cancellationToken);
            var theirs = await db.VerificationChallenges.Where(c => c.PhoneE164 == number.E164 && c.CreatedAt > hourAgo).Select(c => c.CreatedAt).ToListAsync(cancellationToken);
            var lastUnused = mine.Where(c => !c.Used).Select(c => (DateTimeOffset?)c.CreatedAt).Max();
            var decision = SendDecision.Evaluate(now, _policy, mine.ConvertAll(c => c.CreatedAt), theirs, lastUnused);
            if (decision.IsAllowed)
            {
                var prefix = number.E164[..Math.Min(VerificationPolicy.PrefixLength, number.E164.Length)];
                var fromIp = requestIp is null ? [] : await db.VerificationChallenges.Where(c => c.RequestIp == requestIp && c.CreatedAt > hourAgo).Select(c => c.CreatedAt).ToListAsync(cancellationToken);
                var verifiedBefore = await db.CustomerPhones.AnyAsync(p => p.PhoneE164 == number.E164 && !p.IsImported, cancellationToken)
                    || await db.VerificationChallenges.AnyAsync(c => c.PhoneE164 == number.E164 && c.VerifiedAt != null, cancellationToken);
                var inRange = verifiedBefore ? [] : await db.VerificationChallenges
                    .Where(c => c.PhoneE164.StartsWith(prefix) && c.CreatedAt > hourAgo && c.VerifiedAt == null)
                    .Select(c => new RangeSend(c.CreatedAt, c.RequestIp)).ToListAsync(cancellationToken);
                decision = SendDecision.EvaluateAbuse(now, _policy, number.RegionCode, number.CountryRegionCode, fromIp, inRange, verifiedBefore);
            }

            if (!decision.IsAllowed)
            {
                metrics.CodeRefused(decision.Refusal);
                LogRefused(new MaskedPhone(number.E164), decision.Refusal);
                return new SendCodeResult(decision, null);
            }

            var id = Guid.CreateVersion7(now);
            challenge = create(id, codes.Hash(id, code), now);
            db.VerificationChallenges.Add(challenge);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        // The customer is looking at the page that asked for the code: the text comes in that page's language.
        var body = texts.Format(CultureInfo.CurrentUICulture.Name, "VerificationCode", code, (int)_policy.CodeLifetime.TotalMinutes);
        await sms.SendAsync(new SmsMessage(number.E164, body, SmsKind.VerificationCode), cancellationToken);
        metrics.CodeSent();
        LogSent(new MaskedPhone(number.E164));
        return new SendCodeResult(SendDecision.Allowed, challenge.ExpiresAt);
    }

    public async Task<VerifyCodeResult> VerifyAsync(Guid customerId, string code, ConsentEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var normalised = VerificationCodes.Normalise(code);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        var challenge = await db.VerificationChallenges
            .Where(c => c.CustomerId == customerId && c.VerifiedAt == null)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (challenge is null)
        {
            return new VerifyCodeResult(VerifyOutcome.NoActiveCode, 0);
        }

        var matches = normalised is not null && codes.Matches(challenge.Id, normalised, challenge.CodeHash);
        var attemptsBefore = challenge.FailedAttempts;
        var outcome = challenge.Attempt(matches, now, _policy);
        if (outcome != VerifyOutcome.Verified && challenge.FailedAttempts == attemptsBefore)
        {
            // Expired or already locked: nothing to record.
            return new VerifyCodeResult(outcome, challenge.AttemptsLeft(_policy));
        }

        var revoked = 0;
        if (outcome == VerifyOutcome.Verified)
        {
            // An imported customer holding this number is taken over by a new account, or retired (ADR 13).
            var adopted = await ImportedCustomers.ResolveOnVerificationAsync(db, tx.Writer, customerId, challenge.PhoneE164, now, cancellationToken);
            revoked = adopted is null ? await MakeCurrentAsync(db, tx.Writer, customerId, challenge.PhoneE164, now, evidence, cancellationToken) : 0;
        }

        await tx.CommitAsync(cancellationToken);
        metrics.CodeChecked(outcome);
        if (outcome == VerifyOutcome.Verified)
        {
            LogVerified(new MaskedPhone(challenge.PhoneE164), revoked);
        }
        else
        {
            LogWrongCode(new MaskedPhone(challenge.PhoneE164), challenge.AttemptsLeft(_policy));
        }

        return new VerifyCodeResult(outcome, challenge.AttemptsLeft(_policy), outcome == VerifyOutcome.Verified ? challenge.PhoneE164 : null, revoked);
    }

    public async Task<SignInCodeResult> VerifySignInAsync(Guid flowId, string code, CancellationToken cancellationToken = default)
    {
        var normalised = VerificationCodes.Normalise(code);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await ledger.BeginAsync(db, now, cancellationToken);
        var challenge = await db.VerificationChallenges
            .Where(c => c.FlowId == flowId && c.VerifiedAt == null)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (challenge is null)
        {
            return new SignInCodeResult(new VerifyCodeResult(VerifyOutcome.NoActiveCode, 0), null);
        }

        var matches = normalised is not null && codes.Matches(challenge.Id, normalised, challenge.CodeHash);
        var attemptsBefore = challenge.FailedAttempts;
        var outcome = challenge.Attempt(matches, now, _policy);
        if (outcome != VerifyOutcome.Verified && challenge.FailedAttempts == attemptsBefore)
        {
            return new SignInCodeResult(new VerifyCodeResult(outcome, challenge.AttemptsLeft(_policy)), null);
        }

        string? token = null;
        ProvedHolder? holder = null;
        if (outcome == VerifyOutcome.Verified)
        {
            holder = await NumberHolders.ProveAsync(db, tx.Writer, challenge.PhoneE164, now, TimeSpan.FromDays(holding.Value.HolderGapDays), cancellationToken);
            challenge.AssignTo(holder.CustomerId);
            token = links.Issue(db, SignInLinkKind.AfterCode, challenge.PhoneE164, holder.CustomerId, now);
        }

        await tx.CommitAsync(cancellationToken);
        metrics.CodeChecked(outcome);
        if (holder is not null)
        {
            LogSignedIn(new MaskedPhone(challenge.PhoneE164), holder.IsNew, holder.EarlierHoldersReleased);
        }
        else
        {
            LogWrongCode(new MaskedPhone(challenge.PhoneE164), challenge.AttemptsLeft(_policy));
        }

        return new SignInCodeResult(new VerifyCodeResult(outcome, challenge.AttemptsLeft(_policy), holder is null ? null : challenge.PhoneE164), token);
    }

    public async Task<PendingVerification?> GetPendingAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var challenge = await db.VerificationChallenges.AsNoTracking()
            .Where(c => c.CustomerId == customerId && c.VerifiedAt == null && c.ExpiresAt > now)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return challenge is null ? null : new PendingVerification(challenge.PhoneE164, challenge.ExpiresAt, challenge.AttemptsLeft(_policy));
    }

    public async Task<VerifiedPhone?> GetCurrentNumberAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CustomerPhones.AsNoTracking()
            .Where(p => p.CustomerId == customerId && p.ReplacedAt == null)
            .Select(p => new VerifiedPhone(p.PhoneE164, p.VerifiedAt))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Makes the number current; a different old number loses its consents ("number changed").</summary>
    private static async Task<int> MakeCurrentAsync(PreferenceCenterDbContext db, ConsentLedgerWriter writer, Guid customerId, string phoneE164, DateTimeOffset now, ConsentEvidence evidence, CancellationToken ct)
    {
        var current = await db.CustomerPhones.FirstOrDefaultAsync(p => p.CustomerId == customerId && p.ReplacedAt == null, ct);
        if (current?.PhoneE164 == phoneE164)
        {
            return 0;
        }

        // Whoever proves a number now controls it: another account that held it stops being texted on its word.
        await NumberHolders.ReleaseFromOthersAsync(db, writer, customerId, phoneE164, now, ct);
        current?.Replace(now);
        db.CustomerPhones.Add(CustomerPhone.Verified(customerId, phoneE164, now));
        var results = await writer.RevokeAllAsync(customerId, null, evidence.WithReason(ConsentReasons.NumberChanged), ct);
        return results.Count(r => r.Outcome == ConsentChangeOutcome.Changed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification code sent to {MaskedPhone}")]
    private partial void LogSent(MaskedPhone maskedPhone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification code for {MaskedPhone} refused: {Refusal}")]
    private partial void LogRefused(MaskedPhone maskedPhone, SendRefusal refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Number {MaskedPhone} verified; {Revoked} consents of the previous number revoked")]
    private partial void LogVerified(MaskedPhone maskedPhone, int revoked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed in with {MaskedPhone}; new holder {IsNew}; earlier holders released {Released}")]
    private partial void LogSignedIn(MaskedPhone maskedPhone, bool isNew, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong verification code for {MaskedPhone}; {AttemptsLeft} attempts left")]
    private partial void LogWrongCode(MaskedPhone maskedPhone, int attemptsLeft);
}
