namespace PreferenceCenter.Domain.Consents;

/// <summary>The purposes that exist, in page order: a snapshot of the catalogue table that code asks instead of switching on a purpose.</summary>
public sealed class PurposeCatalog
{
    private readonly Dictionary<Purpose, PurposeDefinition> _byPurpose;

    public PurposeCatalog(IEnumerable<PurposeDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        Definitions = [.. definitions.OrderBy(d => d.Order).ThenBy(d => d.Purpose)];
        _byPurpose = Definitions.ToDictionary(d => d.Purpose);
        All = [.. Definitions.Select(d => d.Purpose)];
    }

    /// <summary>The two purposes every installation starts with; what tests and a database without rows see.</summary>
    public static PurposeCatalog Default { get; } = new(PurposeDefinition.Seeds);

    public IReadOnlyList<PurposeDefinition> Definitions { get; }

    public IReadOnlyList<Purpose> All { get; }

    public IEnumerable<Purpose> ThatLapse => All.Where(Lapses);

    public bool Contains(Purpose purpose) => _byPurpose.ContainsKey(purpose);

    public PurposeDefinition Definition(Purpose purpose) =>
        _byPurpose.TryGetValue(purpose, out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(purpose), purpose.Key, "Not a purpose in the catalogue.");

    /// <summary>The staff pages' English name; the key itself for a purpose no longer in the catalogue.</summary>
    public string DisplayName(Purpose purpose) => _byPurpose.TryGetValue(purpose, out var d) ? d.NameEn : purpose.Key;

    /// <summary>The customer-facing name in <paramref name="language"/>.</summary>
    public string Name(Purpose purpose, string? language) => _byPurpose.TryGetValue(purpose, out var d) ? d.Name(language) : purpose.Key;

    public bool Lapses(Purpose purpose) => _byPurpose.TryGetValue(purpose, out var d) && d.LapsesWhenNotReconfirmed;

    /// <summary>Reads a purpose key as systems and people type it: <c>promotions</c>, <c>Promotions</c>, <c>PROMOTIONS</c>.</summary>
    public bool TryParse(string? text, out Purpose purpose)
    {
        var trimmed = text?.Trim();
        var match = Definitions.FirstOrDefault(d => string.Equals(d.Purpose.Key, trimmed, StringComparison.OrdinalIgnoreCase));
        purpose = match?.Purpose ?? default;
        return match is not null;
    }

    /// <summary>"AccountAlerts, Promotions": what an error message offers.</summary>
    public string KeysText => string.Join(", ", All);
}
