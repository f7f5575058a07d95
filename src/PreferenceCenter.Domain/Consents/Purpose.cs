using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// A reason to text someone, by its key (<c>Promotions</c>). Each is consented to separately. Which purposes exist,
/// and what differs between them, is data: <see cref="PurposeCatalog"/>.
/// </summary>
[JsonConverter(typeof(PurposeJsonConverter))]
public readonly partial record struct Purpose : IComparable<Purpose>
{
    public const int MaxKeyLength = 32;

    private readonly string? _key;

    private Purpose(string key) => _key = key;

    /// <summary>The key stored in the ledger, the API and webhooks: a letter, then letters and digits.</summary>
    public string Key => _key ?? string.Empty;

    /// <summary>The first of the two purposes every installation starts with: transactional texts about the account.</summary>
    public static Purpose AccountAlerts { get; } = new("AccountAlerts");

    /// <summary>The second: marketing texts.</summary>
    public static Purpose Promotions { get; } = new("Promotions");

    public static bool IsWellFormed(string? key) => key is not null && KeyShape().IsMatch(key);

    /// <summary>The purpose with this exact key; throws when the key is not a well-formed key.</summary>
    public static Purpose FromKey(string key) =>
        IsWellFormed(key) ? new Purpose(key) : throw new ArgumentException("A purpose key is a capital letter, then 1 to 31 letters or digits.", nameof(key));

    public int CompareTo(Purpose other) => string.CompareOrdinal(Key, other.Key);

    public override string ToString() => Key;

    public static bool operator <(Purpose left, Purpose right) => left.CompareTo(right) < 0;

    public static bool operator <=(Purpose left, Purpose right) => left.CompareTo(right) <= 0;

    public static bool operator >(Purpose left, Purpose right) => left.CompareTo(right) > 0;

    public static bool operator >=(Purpose left, Purpose right) => left.CompareTo(right) >= 0;

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{1,31}$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex KeyShape();
}

/// <summary>Writes a purpose as its key, as it was written when purposes were an enum.</summary>
public sealed class PurposeJsonConverter : JsonConverter<Purpose>
{
    public override Purpose Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } key && Purpose.IsWellFormed(key) ? Purpose.FromKey(key) : throw new JsonException("Not a purpose key.");

    public override void Write(Utf8JsonWriter writer, Purpose value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Key);
    }
}
