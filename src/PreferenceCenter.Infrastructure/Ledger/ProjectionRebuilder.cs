using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Ledger;

public sealed record ProjectionReport(int StatesChecked, IReadOnlyList<string> Fixed)
{
    public string Summary => Fixed.Count == 0
        ? $"{StatesChecked} states match the ledger; nothing to fix"
        : $"{StatesChecked} states checked, {Fixed.Count} fixed:{Environment.NewLine}" + string.Join(Environment.NewLine, Fixed);
}

/// <summary>Rebuilds the current-state table from the ledger alone and says what it had to change.</summary>
public static class ProjectionRebuilder
{
    public static async Task<ProjectionReport> RebuildAsync(PreferenceCenterDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var events = await db.ConsentEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
        var replayed = ConsentState.Replay(events);
        var stored = await db.ConsentStates.ToListAsync(cancellationToken);
        var fixes = new List<string>();

        foreach (var state in stored)
        {
            var key = (state.CustomerId, state.Purpose);
            if (!replayed.TryGetValue(key, out var expected))
            {
                fixes.Add($"removed {Describe(key)}: no event supports it");
                db.ConsentStates.Remove(state);
            }
            else if ((state.Granted, state.LastSequence, state.LastEventId, state.PhoneE164, state.ConsentTextId, state.ChangedAt) != (expected.Granted, expected.LastSequence, expected.LastEventId, expected.PhoneE164, expected.ConsentTextId, expected.ChangedAt))
            {
                fixes.Add($"replaced {Describe(key)}: was {(state.Granted ? "granted" : "revoked")} at #{state.LastSequence}, ledger says {(expected.Granted ? "granted" : "revoked")} at #{expected.LastSequence}");
                db.ConsentStates.Remove(state);
            }
        }

        // Removals first, so a replaced row's key is free before its rebuilt twin is inserted.
        await db.SaveChangesAsync(cancellationToken);
        var kept = stored.Where(s => db.Entry(s).State != EntityState.Detached).Select(s => (s.CustomerId, s.Purpose)).ToHashSet();
        foreach (var (key, expected) in replayed.Where(r => !kept.Contains(r.Key)))
        {
            if (!fixes.Any(f => f.StartsWith($"replaced {Describe(key)}", StringComparison.Ordinal)))
            {
                fixes.Add($"added {Describe(key)}: missing from the projection");
            }

            db.ConsentStates.Add(expected);
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new ProjectionReport(replayed.Count, fixes);
    }

    private static string Describe((Guid CustomerId, Purpose Purpose) key) => $"{key.CustomerId}/{key.Purpose}";
}
