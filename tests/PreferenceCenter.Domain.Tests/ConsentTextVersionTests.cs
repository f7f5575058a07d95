using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Tests;

public sealed class ConsentTextVersionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Draft_PublishesOnce_ThenRefusesEveryChange()
    {
        var text = ConsentText.CreateDraft(3, Draft(ConsentTextKind.Material, deadline: Now.AddDays(7)), Now, PurposeCatalog.Default);
        Assert.Equal((ConsentTextStatus.Draft, 0), (text.Status, text.Version));

        text.Publish(2, Now.AddHours(1), PurposeCatalog.Default);

        Assert.Equal((ConsentTextStatus.Published, 2, Now.AddHours(1)), (text.Status, text.Version, text.PublishedAt));
        Assert.Throws<InvalidOperationException>(() => text.Publish(3, Now.AddHours(2), PurposeCatalog.Default));
        Assert.Throws<InvalidOperationException>(() => text.EditDraft(Draft(ConsentTextKind.Editorial), Now.AddHours(2), PurposeCatalog.Default));
        Assert.Equal("Offers by text, at most 8 a month.", text.Body);
    }

    [Fact]
    public void Draft_KeepsItsPurposeAndLanguage_WhenEdited()
    {
        var text = ConsentText.CreateDraft(3, Draft(ConsentTextKind.Editorial), Now, PurposeCatalog.Default);

        Assert.Throws<InvalidOperationException>(() => text.EditDraft(Draft(ConsentTextKind.Editorial) with { Language = "es" }, Now, PurposeCatalog.Default));
        text.EditDraft(Draft(ConsentTextKind.Editorial) with { Body = "  New body.  " }, Now, PurposeCatalog.Default);
        Assert.Equal("New body.", text.Body);
    }

    [Theory]
    [InlineData("", "Body", "Label")]
    [InlineData("x", "", "Body")]
    public void Validate_NamesTheEmptyField_WhenLabelOrBodyIsBlank(string label, string body, string field)
    {
        var errors = Draft(ConsentTextKind.Editorial, label: label, body: body).Validate(Now, PurposeCatalog.Default);

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Validate_RequiresASummary_ForAMaterialChangeOnly()
    {
        Assert.Contains("ChangeSummary", Draft(ConsentTextKind.Material, summary: " ").Validate(Now, PurposeCatalog.Default).Keys);
        Assert.Empty(Draft(ConsentTextKind.Editorial, summary: null).Validate(Now, PurposeCatalog.Default));
    }

    [Fact]
    public void Validate_RefusesADeadline_ForAccountAlertsOrInThePast()
    {
        var alerts = Draft(ConsentTextKind.Material, deadline: Now.AddDays(7)) with { Purpose = Purpose.AccountAlerts };
        Assert.Contains("never lapse", alerts.Validate(Now, PurposeCatalog.Default)["ReconfirmBy"], StringComparison.Ordinal);
        Assert.Contains("future", Draft(ConsentTextKind.Material, deadline: Now).Validate(Now, PurposeCatalog.Default)["ReconfirmBy"], StringComparison.Ordinal);
        Assert.Empty(Draft(ConsentTextKind.Material, deadline: Now.AddMinutes(1)).Validate(Now, PurposeCatalog.Default));
    }

    [Fact]
    public void Draft_DropsTheDeadline_WhenTheChangeIsEditorial()
    {
        var text = ConsentText.CreateDraft(3, Draft(ConsentTextKind.Editorial, deadline: Now.AddDays(3)), Now, PurposeCatalog.Default);

        Assert.Null(text.ReconfirmBy);
    }

    [Fact]
    public void PendingFor_IsNull_WhenEveryNewerVersionIsEditorial()
    {
        var v1 = Published(1, ConsentTextKind.Material);
        var v2 = Published(2, ConsentTextKind.Editorial);

        Assert.Null(ConsentTextChanges.PendingFor(v1, [v1, v2], PurposeCatalog.Default));
    }

    [Fact]
    public void PendingFor_AsksAboutTheNewestVersion_WithTheEarliestDeadlineOfTheMaterialOnes()
    {
        var v1 = Published(1, ConsentTextKind.Material);
        var v2 = Published(2, ConsentTextKind.Material, "More texts.", Now.AddDays(10));
        var v3 = Published(3, ConsentTextKind.Editorial);
        var v4 = Published(4, ConsentTextKind.Material, "A new sender.", Now.AddDays(30));
        var spanish = ConsentText.Create(20, Purpose.Promotions, "es", 2, "Promociones", "Más.", Now, ConsentTextKind.Material, "Más.", Now.AddDays(1));

        var pending = ConsentTextChanges.PendingFor(v1, [v1, v2, v3, v4, spanish], PurposeCatalog.Default)!;

        Assert.Equal((4, Now.AddDays(10), 2), (pending.Latest.Version, pending.LapsesAt!.Value, pending.DeadlineVersion!.Version));
        Assert.Equal(["More texts.", "A new sender."], pending.Summaries);
        Assert.False(pending.HasLapsed(Now.AddDays(10).AddTicks(-1)));
        Assert.True(pending.HasLapsed(Now.AddDays(10)));
        Assert.Null(ConsentTextChanges.PendingFor(v4, [v1, v2, v3, v4], PurposeCatalog.Default));
    }

    [Fact]
    public void PendingFor_NeverLapsesAccountAlerts_WhateverAVersionCarries()
    {
        var v1 = ConsentText.Create(1, Purpose.AccountAlerts, "en", 1, "Account alerts", "Alerts.", Now);
        var v2 = ConsentText.Create(9, Purpose.AccountAlerts, "en", 2, "Account alerts", "More alerts.", Now, ConsentTextKind.Material, "More.", Now.AddDays(-1));

        var pending = ConsentTextChanges.PendingFor(v1, [v1, v2], PurposeCatalog.Default)!;

        Assert.Null(pending.LapsesAt);
        Assert.False(pending.HasLapsed(Now.AddYears(1)));
    }

    [Fact]
    public void Diff_MarksRemovedAndAddedWords_AndKeepsTheRest()
    {
        var segments = ConsentTextDiff.Words("Offers by text, at most 4 messages a month.", "Offers and partner deals by text, at most 8 messages a month.");

        Assert.Equal("Offers by text, at most 4 messages a month.", string.Concat(segments.Where(s => s.Kind != DiffKind.Added).Select(s => s.Text)));
        Assert.Equal("Offers and partner deals by text, at most 8 messages a month.", string.Concat(segments.Where(s => s.Kind != DiffKind.Removed).Select(s => s.Text)));
        Assert.Contains(segments, s => s.Kind == DiffKind.Removed && s.Text.Trim() == "4");
        Assert.Contains(segments, s => s.Kind == DiffKind.Added && s.Text.Trim() == "8");
        Assert.Contains(segments, s => s.Kind == DiffKind.Added && s.Text.Contains("partner deals", StringComparison.Ordinal));
    }

    [Fact]
    public void Diff_JoinsChangedWordsSeparatedOnlyBySpaces_IntoOneRemovedAndOneAddedRun()
    {
        var segments = ConsentTextDiff.Words(
            "Offers, new products and event invitations by text, at most 4 messages a month.",
            "Offers and partner deals by text, at most 8 messages a month.");

        Assert.Equal(Squash("Offers, new products and event invitations by text, at most 4 messages a month."), Squash(string.Concat(segments.Where(s => s.Kind != DiffKind.Added).Select(s => s.Text))));
        Assert.Equal(Squash("Offers and partner deals by text, at most 8 messages a month."), Squash(string.Concat(segments.Where(s => s.Kind != DiffKind.Removed).Select(s => s.Text))));
        Assert.Contains(segments, s => s.Kind == DiffKind.Added && s.Text.Contains("partner deals", StringComparison.Ordinal));
        Assert.DoesNotContain(segments, s => s.Kind != DiffKind.Same && s.Text.Trim().Length == 0);
    }

    [Fact]
    public void Diff_IsOneUnchangedRun_WhenNothingChanged()
    {
        var segments = ConsentTextDiff.Words("Same words.", "Same words.");

        Assert.Equal([new DiffSegment(DiffKind.Same, "Same words.")], segments);
    }

    private static string Squash(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static ConsentText Published(int version, ConsentTextKind kind, string? summary = null, DateTimeOffset? deadline = null) =>
        ConsentText.Create(version + 1, Purpose.Promotions, "en", version, "Promotions", $"Wording {version}.", Now, kind, summary, deadline);

    private static ConsentTextDraft Draft(ConsentTextKind kind, string label = "Promotions", string body = "Offers by text, at most 8 a month.", string? summary = "Up to 8 texts a month.", DateTimeOffset? deadline = null) =>
        new(Purpose.Promotions, "en", kind, label, body, summary, deadline);
}
