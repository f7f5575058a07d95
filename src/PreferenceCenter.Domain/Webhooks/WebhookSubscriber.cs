using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Webhooks;

/// <summary>
/// A system that receives a signed POST for each consent change it asked for. Its signing secret is stored only in
/// protected form; the plain secret is shown once, when the subscriber is registered.
/// </summary>
public sealed class WebhookSubscriber
{
    public const int MaxNameLength = 100;

    private WebhookSubscriber()
    {
        Name = string.Empty;
        Url = string.Empty;
        ProtectedSecret = string.Empty;
        PurposesText = string.Empty;
        ActionsText = string.Empty;
    }

    public Guid Id { get; private init; }

    public string Name { get; private init; }

    /// <summary>Where deliveries are POSTed: https, or http to this machine for local development.</summary>
    public string Url { get; private init; }

    public string ProtectedSecret { get; private init; }

    /// <summary>Space-separated purposes to send; empty means every purpose.</summary>
    public string PurposesText { get; private init; }

    /// <summary>Space-separated actions to send; empty means every action.</summary>
    public string ActionsText { get; private init; }

    /// <summary>A paused subscriber still has its deliveries queued; none is sent until it is active again.</summary>
    public bool Active { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    public IReadOnlyList<Purpose> Purposes => [.. PurposesText.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(Purpose.IsWellFormed).Select(Purpose.FromKey)];

    public IReadOnlyList<ConsentAction> Actions => Parse<ConsentAction>(ActionsText);

    public bool Wants(Purpose purpose, ConsentAction action) =>
        (PurposesText.Length == 0 || Purposes.Contains(purpose)) && (ActionsText.Length == 0 || Actions.Contains(action));

    public static WebhookSubscriber Create(string name, string url, IEnumerable<Purpose> purposes, IEnumerable<ConsentAction> actions, string protectedSecret, DateTimeOffset now, PurposeCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedSecret);
        ArgumentNullException.ThrowIfNull(purposes);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(catalog);
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"Names are 1 to {MaxNameLength} characters.", nameof(name));
        }

        if (!WebhookRules.TryNormaliseUrl(url, out var normalised, out var problem))
        {
            throw new ArgumentException(problem, nameof(url));
        }

        return new WebhookSubscriber
        {
            Id = Guid.CreateVersion7(now),
            Name = trimmed,
            Url = normalised,
            ProtectedSecret = protectedSecret,
            PurposesText = JoinPurposes([.. purposes.Where(catalog.Contains)], catalog.All.Count),
            ActionsText = Join(actions.Where(Enum.IsDefined), Enum.GetValues<ConsentAction>().Length),
            Active = true,
            CreatedAt = now,
        };
    }

    public void SetActive(bool active) => Active = active;

    /// <summary>Every purpose chosen is the same as none chosen: store "all" as empty so purposes added later are included too.</summary>
    private static string JoinPurposes(IReadOnlyCollection<Purpose> chosen, int all)
    {
        var list = chosen.Distinct().Order().ToList();
        return list.Count == all ? string.Empty : string.Join(' ', list);
    }

    /// <summary>Every value chosen is the same as none chosen: store "all" as empty so new values are included too.</summary>
    private static string Join<T>(IEnumerable<T> values, int all)
        where T : struct, Enum
    {
        var list = values.Distinct().Order().ToList();
        return list.Count == all ? string.Empty : string.Join(' ', list);
    }

    private static List<T> Parse<T>(string text)
        where T : struct, Enum =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<T>).ToList();
}
