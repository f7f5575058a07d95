using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Localization;
using PreferenceCenter.Infrastructure.Messaging;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Purposes;

/// <summary>The catalogue of purposes, read from the database and kept for a short while; an admin adds purposes here.</summary>
public sealed partial class PurposeRegistry(
    IDbContextFactory<PreferenceCenterDbContext> dbFactory,
    TimeProvider clock,
    IOptions<SmsOptions> sms,
    ILogger<PurposeRegistry> logger)
{
    // Another instance's new purpose shows here within this long; this instance's own at once.
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private (PurposeCatalog Catalog, DateTimeOffset LoadedAt)? _snapshot;

    /// <summary>The purposes now. Reads a handful of rows at most every 30 seconds.</summary>
    public PurposeCatalog Current
    {
        get
        {
            lock (_gate)
            {
                if (_snapshot is { } s && clock.GetUtcNow() - s.LoadedAt < Freshness)
                {
                    return s.Catalog;
                }

                using var db = dbFactory.CreateDbContext();
                var catalog = Build([.. db.Purposes.AsNoTracking()]);
                _snapshot = (catalog, clock.GetUtcNow());
                return catalog;
            }
        }
    }

    /// <summary>Every purpose in page order.</summary>
    public IReadOnlyList<Purpose> All => Current.All;

    /// <summary>The staff pages' English name.</summary>
    public string DisplayName(Purpose purpose) => Current.DisplayName(purpose);

    /// <summary>The customer-facing name in <paramref name="language"/>.</summary>
    public string Name(Purpose purpose, string? language) => Current.Name(purpose, language);

    public bool Lapses(Purpose purpose) => Current.Lapses(purpose);

    /// <summary>The number a purpose's texts come from: its own, else the one in settings, else null (the default sender).</summary>
    public string? SendingNumberFor(Purpose purpose) =>
        Current.Contains(purpose) && Current.Definition(purpose).SendingNumber is { } own ? own : sms.Value.SendingNumberFor(purpose);

    /// <summary>The purposes whose texts come from <paramref name="toE164"/>; all of them if it is none of ours.</summary>
    public IReadOnlyList<Purpose> PurposesSentFrom(string toE164)
    {
        var all = Current.All;
        var mine = all.Where(p => SendingNumberFor(p) == toE164).ToList();
        return mine.Count > 0 ? mine : all;
    }

    /// <summary>
    /// Adds a purpose with version 1 of its wording in every language, in one transaction; throws
    /// <see cref="ConsentTextDraftException"/> listing every field to fix.
    /// </summary>
    public async Task<PurposeDefinition> AddAsync(PurposeDraft draft, string admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);

        // Checked against the rows under the write lock, not the cached snapshot: two admins cannot add one key twice.
        var existing = Build([.. await db.Purposes.AsNoTracking().ToListAsync(cancellationToken)]);
        ConsentTextDraftException.ThrowIfInvalid(draft.Validate(existing, now));
        var order = existing.Definitions.Count == 0 ? 1 : existing.Definitions.Max(d => d.Order) + 1;
        var definition = PurposeDefinition.Create(draft, order, now);
        db.Purposes.Add(definition);
        var withThis = new PurposeCatalog([.. existing.Definitions, definition]);
        var id = await db.ConsentTexts.MaxAsync(t => (int?)t.Id, cancellationToken) ?? 0;
        foreach (var language in Languages.All)
        {
            var text = ConsentText.CreateDraft(++id, draft.FirstText(language), now, withThis);
            text.Publish(1, now, withThis);
            db.ConsentTexts.Add(text);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        lock (_gate)
        {
            _snapshot = (withThis, now);
        }

        LogAdded(definition.Purpose.Key, admin);
        return definition;
    }

    /// <summary>Corrects an existing purpose's names, phrases, frequencies and sending number; throws <see cref="ConsentTextDraftException"/> when a field is wrong.</summary>
    public async Task<PurposeDefinition> EditAsync(Purpose purpose, PurposeDraft draft, string admin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ConsentTextDraftException.ThrowIfInvalid(draft.ValidateEdit());
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var definition = await db.Purposes.FirstOrDefaultAsync(d => d.Purpose == purpose, cancellationToken)
            ?? throw new InvalidOperationException($"There is no purpose {purpose}.");
        definition.Edit(draft);
        await db.SaveChangesAsync(cancellationToken);
        lock (_gate)
        {
            // Re-read on next use: this instance shows the edit at once.
            _snapshot = null;
        }

        LogEdited(purpose.Key, admin);
        return definition;
    }

    // A database without rows (never the case after the Initial migration) still has the two purposes.
    private static PurposeCatalog Build(IReadOnlyCollection<PurposeDefinition> rows) => rows.Count == 0 ? PurposeCatalog.Default : new PurposeCatalog(rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purpose {Purpose} added by {Admin}, with its first wording in every language")]
    private partial void LogAdded(string purpose, string admin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purpose {Purpose} edited by {Admin}")]
    private partial void LogEdited(string purpose, string admin);
}
