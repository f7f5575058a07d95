using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PreferenceCenter.Web.Tests;

/// <summary>Every English resource has its Spanish twin with the same keys, non-empty words and the same placeholders.</summary>
public sealed partial class LocalizationResourceTests
{
    private static readonly string[] CustomerFacing = ["SharedStrings.resx", "PreferencesStrings.resx", "EmbedStrings.resx", "TextChangeStrings.resx", "SmsTexts.resx", "OptInCodeStrings.resx"];

    public static TheoryData<string> EnglishResources() => new(EnglishFiles());

    [Fact]
    public void ResourceFiles_CoverEveryCustomerFacingArea()
    {
        var files = EnglishFiles().Select(Path.GetFileName).ToList();

        Assert.All(CustomerFacing, f => Assert.Contains(f, files));
    }

    [Theory]
    [MemberData(nameof(EnglishResources))]
    public void SpanishResource_HasExactlyTheEnglishKeys_WithWordsAndTheSamePlaceholders(string englishFile)
    {
        var english = Read(Path.Combine(RepositoryRoot(), englishFile));
        var spanishFile = Path.ChangeExtension(Path.Combine(RepositoryRoot(), englishFile), ".es.resx");
        Assert.True(File.Exists(spanishFile), $"{englishFile} has no Spanish twin");
        var spanish = Read(spanishFile);

        Assert.Empty(english.Keys.Except(spanish.Keys));
        Assert.Empty(spanish.Keys.Except(english.Keys));
        Assert.All(english, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{englishFile}: '{e.Key}' is empty"));
        Assert.All(spanish, s => Assert.False(string.IsNullOrWhiteSpace(s.Value), $"{spanishFile}: '{s.Key}' is empty"));
        Assert.All(english, e => Assert.Equal(Placeholders(e.Value), Placeholders(spanish[e.Key])));
    }

    // Name.resx, not Name.es.resx: the neutral (English) resource of each set.
    private static List<string> EnglishFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryRoot(), f))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static Dictionary<string, string> Read(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);

    private static string Placeholders(string text) => string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\{\d+[^}]*\}")]
    private static partial Regex Placeholder();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PreferenceCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }
}
