namespace PreferenceCenter.Domain.Consents;

/// <summary>A point-in-time answer and the event that decided it (null: no event yet, so no consent).</summary>
public sealed record ConsentAnswer(Purpose Purpose, DateTimeOffset Instant, bool Granted, ConsentEvent? DecidingEvent);

/// <summary>
/// State by replaying the log, never by reading the projection. "At an instant" means as the ledger stood then: the
/// events recorded by that instant, in sequence order (recorded-at, not occurred-at, so a back-dated import cannot
/// rewrite what we had on record when a text was sent).
/// </summary>
public static class ConsentReplay
{
    public static ConsentAnswer At(IEnumerable<ConsentEvent> customerEvents, Purpose purpose, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(customerEvents);
        ConsentEvent? deciding = null;
        foreach (var e in customerEvents)
        {
            if (e.Purpose == purpose && e.RecordedAt <= instant && (deciding is null || e.Sequence > deciding.Sequence))
            {
                deciding = e;
            }
        }

        return new ConsentAnswer(purpose, instant, deciding?.Action == ConsentAction.Granted, deciding);
    }

    /// <summary>The state of every customer × purpose after the given events (any order), as a projection would hold it.</summary>
    public static IReadOnlyDictionary<(Guid CustomerId, Purpose Purpose), ConsentEvent> Latest(IEnumerable<ConsentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var latest = new Dictionary<(Guid, Purpose), ConsentEvent>();
        foreach (var e in events)
        {
            if (!latest.TryGetValue((e.CustomerId, e.Purpose), out var seen) || e.Sequence > seen.Sequence)
            {
                latest[(e.CustomerId, e.Purpose)] = e;
            }
        }

        return latest;
    }
}
