using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>Per published version: how the customers it asked answered (and how many agreed to it fresh).</summary>
public sealed record ConsentTextStats(ConsentText Text, int Kept, int Withdrew, int Lapsed, int NotAnswered, int AgreedNow);

/// <summary>
/// Admins' drafts and publishing of consent-text versions (ADR 0016). A draft is edited or discarded freely; a
/// published version never changes (the entity, the DbContext and a trigger all refuse).
/// </summary>
public sealed partial class ConsentTextAdmin(IDbContextFactory<PreferenceCenterDbContext> dbFactory, PurposeRegistry purposes, TimeProvider clock, ILogger<ConsentTextAdmin> logger)
{
    /// <summary>Every version and draft, by purpose, language and newest first.</summary>
    public async Task<IReadOnlyList<ConsentText>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var all = await db.ConsentTexts.AsNoTracking().ToListAsync(cancellationToken);
        return all.OrderBy(t => t.Purpose).ThenBy(t => t.Language).ThenBy(t => t.IsPublished).ThenByDescending(t => t.Version).ToList();
    }

    /// <summary>The newest published version of a purpose in a language, what a draft would replace.</summary>
    public async Task<ConsentText?> CurrentAsync(Purpose purpose, string language, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ConsentTexts.AsNoTracking()
            .Where(t => t.Purpose == purpose && t.Language == language && t.Status == ConsentTextStatus.Published)
            .OrderByDescending(t => t.Version)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Saves a new draft; <see cref="ConsentTextDraftException"/> when a field is wrong or a draft already exists.</summary>
    public async Task<ConsentText> CreateDraftAsync(ConsentTextDraft draft, string admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = clock.GetUtcNow();
        ConsentTextDraftException.ThrowIfInvalid(draft.Validate(now, purposes.Current));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Under the write lock: the next id and "one draft per purpose and language" cannot race.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var language = draft.NormalisedLanguage;
        if (await db.ConsentTexts.AnyAsync(t => t.Purpose == draft.Purpose && t.Language == language && t.Status == ConsentTextStatus.Draft, cancellationToken))
        {
            throw new ConsentTextDraftException(new Dictionary<string, string>
            {
                [nameof(ConsentTextDraft.Purpose)] = $"There is already a draft for {purposes.Current.DisplayName(draft.Purpose)} ({language}): edit, publish or discard it first.",
            });
        }

        var id = (await db.ConsentTexts.MaxAsync(t => (int?)t.Id, cancellationToken) ?? 0) + 1;
        var text = ConsentText.CreateDraft(id, draft, now, purposes.Current);
        db.ConsentTexts.Add(text);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        LogDraftSaved(id, draft.Purpose, language, admin);
        return text;
    }

    public async Task<ConsentText> UpdateDraftAsync(int id, ConsentTextDraft draft, string admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var text = await DraftAsync(db, id, cancellationToken);
        text.EditDraft(draft, clock.GetUtcNow(), purposes.Current);
        await db.SaveChangesAsync(cancellationToken);
        LogDraftSaved(id, text.Purpose, text.Language, admin);
        return text;
    }

    public async Task DiscardDraftAsync(int id, string admin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var text = await DraftAsync(db, id, cancellationToken);
        db.ConsentTexts.Remove(text);
        await db.SaveChangesAsync(cancellationToken);
        LogDiscarded(id, admin);
    }

    /// <summary>Publishes a draft as the next version of its purpose and language. Older versions are untouched.</summary>
    public async Task<ConsentText> PublishAsync(int id, string admin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var text = await DraftAsync(db, id, cancellationToken);
        var latest = await db.ConsentTexts
            .Where(t => t.Purpose == text.Purpose && t.Language == text.Language && t.Status == ConsentTextStatus.Published)
            .MaxAsync(t => (int?)t.Version, cancellationToken) ?? 0;
        text.Publish(latest + 1, clock.GetUtcNow(), purposes.Current);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        LogPublished(id, text.Purpose, text.Language, text.Version, text.Kind, admin);
        return text;
    }

    /// <summary>For each published version: kept, withdrew, lapsed, still unanswered, and agreeing to it now.</summary>
    public async Task<IReadOnlyList<ConsentTextStats>> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var texts = await db.ConsentTexts.AsNoTracking().Where(t => t.Status == ConsentTextStatus.Published).ToListAsync(cancellationToken);
        string[] reasons = [ConsentReasons.KeptAfterChange, ConsentReasons.WithdrawnAfterChange, ConsentReasons.NotReconfirmed];
        var answers = await db.ConsentEvents.AsNoTracking()
            .Where(e => e.Reason != null && reasons.Contains(e.Reason))
            .GroupBy(e => new { e.ConsentTextId, e.Reason })
            .Select(g => new { g.Key.ConsentTextId, g.Key.Reason, Customers = g.Select(e => e.CustomerId).Distinct().Count() })
            .ToListAsync(cancellationToken);
        var granted = await db.ConsentStates.AsNoTracking()
            .Where(s => s.Granted)
            .GroupBy(s => s.ConsentTextId)
            .Select(g => new { TextId = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var grantedByText = granted.ToDictionary(g => g.TextId, g => g.Count);
        var byId = texts.ToDictionary(t => t.Id);
        int Answered(int textId, string reason) => answers.FirstOrDefault(a => a.ConsentTextId == textId && a.Reason == reason)?.Customers ?? 0;

        return texts
            .OrderBy(t => t.Purpose).ThenBy(t => t.Language).ThenByDescending(t => t.Version)
            .Select(t => new ConsentTextStats(
                t,
                Answered(t.Id, ConsentReasons.KeptAfterChange),
                Answered(t.Id, ConsentReasons.WithdrawnAfterChange),
                Answered(t.Id, ConsentReasons.NotReconfirmed),
                t.Kind == ConsentTextKind.Material
                    ? grantedByText.Where(g => byId.TryGetValue(g.Key, out var under) && under.Purpose == t.Purpose && under.Language == t.Language && under.Version < t.Version).Sum(g => g.Value)
                    : 0,
                grantedByText.GetValueOrDefault(t.Id)))
            .ToList();
    }

    private static async Task<ConsentText> DraftAsync(PreferenceCenterDbContext db, int id, CancellationToken cancellationToken)
    {
        var text = await db.ConsentTexts.FirstOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new InvalidOperationException("That draft no longer exists: it was published or discarded meanwhile.");
        text.ThrowIfPublished();
        return text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent text draft {Id} ({Purpose}, {Language}) saved by {Admin}")]
    private partial void LogDraftSaved(int id, Purpose purpose, string language, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent text draft {Id} discarded by {Admin}")]
    private partial void LogDiscarded(int id, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consent text {Id} published as {Purpose} {Language} version {Version} ({Kind}) by {Admin}")]
    private partial void LogPublished(int id, Purpose purpose, string language, int version, ConsentTextKind kind, string admin);
}
