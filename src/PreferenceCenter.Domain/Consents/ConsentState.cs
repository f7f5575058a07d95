namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// Current consent of one customer for one purpose: a projection of the log, written in the same transaction as
/// the event that changed it.
/// </summary>
public sealed class ConsentState
{
    private ConsentState()
    {
        PhoneE164 = string.Empty;
    }

    public Guid CustomerId { get; private init; }

    public Purpose Purpose { get; private init; }

    public bool Granted { get; private set; }

    public string PhoneE164 { get; private set; }

    public int ConsentTextId { get; private set; }

    public Guid LastEventId { get; private set; }

    public long LastSequence { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }

    public static ConsentState From(ConsentEvent first)
    {
        ArgumentNullException.ThrowIfNull(first);
        var state = new ConsentState { CustomerId = first.CustomerId, Purpose = first.Purpose };
        state.Apply(first);
        return state;
    }

    /// <summary>True when applying <paramref name="action"/> would change nothing (a grant on a grant).</summary>
    public bool IsAlready(ConsentAction action) => Granted == (action == ConsentAction.Granted);

    public void Apply(ConsentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.CustomerId != CustomerId || e.Purpose != Purpose)
        {
            throw new InvalidOperationException("Event belongs to another customer or purpose.");
        }

        if (e.Sequence <= LastSequence)
        {
            throw new InvalidOperationException("Events must be applied in log order.");
        }

        Granted = e.Action == ConsentAction.Granted;
        PhoneE164 = e.PhoneE164;
        ConsentTextId = e.ConsentTextId;
        LastEventId = e.Id;
        LastSequence = e.Sequence;
        ChangedAt = e.OccurredAt;
    }

    /// <summary>Rebuilds every state from the log; the projection must always equal this.</summary>
    public static IReadOnlyDictionary<(Guid CustomerId, Purpose Purpose), ConsentState> Replay(IEnumerable<ConsentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var states = new Dictionary<(Guid, Purpose), ConsentState>();
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            if (states.TryGetValue((e.CustomerId, e.Purpose), out var state))
            {
                state.Apply(e);
            }
            else
            {
                states[(e.CustomerId, e.Purpose)] = From(e);
            }
        }

        return states;
    }
}
