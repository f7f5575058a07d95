using System.Security.Cryptography;
using System.Text;

namespace PreferenceCenter.Domain.Consents;

/// <summary>
/// The exact wording a customer is asked to agree to, versioned per purpose and language. Immutable once
/// published: a change of wording is a new version.
/// </summary>
public sealed class ConsentText
{
    private ConsentText()
    {
        Language = string.Empty;
        Label = string.Empty;
        Body = string.Empty;
    }

    public int Id { get; private init; }

    public Purpose Purpose { get; private init; }

    /// <summary>Two-letter ISO language, e.g. <c>en</c>.</summary>
    public string Language { get; private init; }

    public int Version { get; private init; }

    /// <summary>The checkbox label.</summary>
    public string Label { get; private init; }

    /// <summary>The plain-language explanation shown under the label.</summary>
    public string Body { get; private init; }

    public DateTimeOffset PublishedAt { get; private init; }

    /// <summary>Exactly what the page renders for this version: the label, a line feed, the body.</summary>
    public string RenderedText => Render(Label, Body);

    /// <summary>Lowercase hex SHA-256 of <see cref="RenderedText"/> in UTF-8; events commit to it.</summary>
    public string TextSha256 => Sha256Of(Label, Body);

    /// <summary><see cref="TextSha256"/> from the stored columns, for readers that do not materialise the entity.</summary>
    public static string Sha256Of(string label, string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Render(label, body))));

    private static string Render(string label, string body) => label + "\n" + body;

    public static ConsentText Create(int id, Purpose purpose, string language, int version, string label, string body, DateTimeOffset publishedAt) =>
        new()
        {
            Id = id,
            Purpose = purpose,
            Language = language,
            Version = version,
            Label = label,
            Body = body,
            PublishedAt = publishedAt,
        };
}
