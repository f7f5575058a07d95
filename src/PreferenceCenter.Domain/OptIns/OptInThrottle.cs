using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.OptIns;

/// <summary>Why a request was not sent, or <see cref="None"/>.</summary>
public enum OptInRefusal
{
    None,

    /// <summary>A request for this number and purpose is still waiting for its answer.</summary>
    AlreadyOpen,

    /// <summary>The number had the most requests others may send it in the window.</summary>
    TooMany,

    /// <summary>The number texted STOP: only the customer's own keyword may ask again.</summary>
    StoppedByCustomer,

    /// <summary>The number has already agreed to this purpose.</summary>
    AlreadyGranted,
}

/// <summary>One request the throttle looks at: its purpose, when it was made, and whether it is still open.</summary>
public readonly record struct RecentOptInRequest(Purpose Purpose, DateTimeOffset CreatedAt, bool Open, bool ByKeyword);

/// <summary>
/// Nobody can be pestered: one open request per number and purpose, and at most <c>maxPerWindow</c> requests by others
/// (tills, agents, systems) per number in the window. A keyword is the customer asking, so it never counts against them
/// and is never refused for a STOP; it still never opens a second request beside an open one.
/// </summary>
public static class OptInThrottle
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public static OptInRefusal Evaluate(IEnumerable<RecentOptInRequest> recent, Purpose purpose, bool byKeyword, bool suppressed, bool granted, DateTimeOffset now, int maxPerWindow)
    {
        ArgumentNullException.ThrowIfNull(recent);
        var list = recent.ToList();
        if (granted)
        {
            return OptInRefusal.AlreadyGranted;
        }

        if (list.Any(r => r.Purpose == purpose && r.Open))
        {
            return OptInRefusal.AlreadyOpen;
        }

        if (byKeyword)
        {
            return OptInRefusal.None;
        }

        if (suppressed)
        {
            return OptInRefusal.StoppedByCustomer;
        }

        var since = now - Window;
        return list.Count(r => !r.ByKeyword && r.CreatedAt > since) >= maxPerWindow ? OptInRefusal.TooMany : OptInRefusal.None;
    }
}
