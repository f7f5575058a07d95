using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Tests;

public sealed class ConsentImportRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly ConsentText[] Texts =
    [
        ConsentText.Create(1, Purpose.AccountAlerts, "en", 1, "Account alerts", "Body", Now),
        ConsentText.Create(2, Purpose.Promotions, "en", 1, "Promotions", "Body", Now),
        ConsentText.Create(3, Purpose.Promotions, "fr", 1, "Promotions", "Corps", Now),
    ];

    private static readonly ConsentImportInput Good = new("(07700) 900-123", "promotions", " granted ", "2025-03-01T10:15:00+01:00", 2, null, null, " CRM signup ", " 2001:DB8::1 ", "CRM/1.0");

    [Fact]
    public void TryValidate_NormalisesEveryField_WhenTheRowIsGood()
    {
        Assert.True(ConsentImportRules.TryValidate(7, Good, "GB", Now, Texts, PurposeCatalog.Default, out var row, out _));

        Assert.Equal(new ConsentImportRow(7, "+447700900123", Purpose.Promotions, ConsentAction.Granted, new DateTimeOffset(2025, 3, 1, 9, 15, 0, TimeSpan.Zero), 2, "CRM signup", "2001:db8::1", "CRM/1.0", null), row);
        Assert.Equal(TimeSpan.Zero, row.OccurredAt.Offset);
    }

    [Fact]
    public void TryValidate_FindsTheTextByVersionAndLanguage_WhenNoIdIsGiven()
    {
        Assert.True(ConsentImportRules.TryValidate(1, Good with { ConsentTextId = null, ConsentTextVersion = 1, Language = "FR" }, "GB", Now, Texts, PurposeCatalog.Default, out var row, out _));

        Assert.Equal((3, "fr"), (row.ConsentTextId, row.Locale));
    }

    [Theory]
    [InlineData("phone", null, "phone: required")]
    [InlineData("phone", "12", "phone: not a mobile number")]
    [InlineData("phone", "01632 960123", "phone: not a mobile number")]
    [InlineData("purpose", "Everything", "purpose: one of AccountAlerts, Promotions")]
    [InlineData("purpose", "2", "purpose: one of")]
    [InlineData("action", "maybe", "action: Granted or Revoked")]
    [InlineData("occurredAt", "2025-03-01T10:15:00", "occurredAt: an ISO 8601 instant with its offset")]
    [InlineData("occurredAt", "2025-03-01", "occurredAt: an ISO 8601 instant")]
    [InlineData("occurredAt", "2026-11-23T09:00:01Z", "occurredAt: in the future")]
    [InlineData("occurredAt", "1999-12-31T23:59:59Z", "occurredAt: before 2000-01-01")]
    [InlineData("source", " ", "source: required")]
    [InlineData("ipAddress", "somewhere", "ipAddress: not an IPv4 or IPv6 address")]
    public void TryValidate_NamesTheFieldAndWhy_WhenAFieldIsWrong(string field, string? value, string expected)
    {
        var input = field switch
        {
            "phone" => Good with { Phone = value },
            "purpose" => Good with { Purpose = value },
            "action" => Good with { Action = value },
            "occurredAt" => Good with { OccurredAt = value },
            "source" => Good with { Source = value },
            _ => Good with { IpAddress = value },
        };

        Assert.False(ConsentImportRules.TryValidate(4, input, "GB", Now, Texts, PurposeCatalog.Default, out _, out var rejection));

        Assert.Equal(4, rejection.Row);
        Assert.StartsWith(expected, rejection.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, null, "consentTextId: there is no consent text 9")]
    [InlineData(1, null, "consentTextId: text 1 is the AccountAlerts wording, not Promotions")]
    [InlineData(null, 2, "consentTextVersion: there is no version 2 of the Promotions text in 'en'")]
    [InlineData(3, 1, "consentTextVersion: text 3 is not version 1 in 'en'")]
    [InlineData(null, null, "consentTextId or consentTextVersion: required")]
    public void TryValidate_RejectsTheRow_WhenTheTextDoesNotExistOrIsForAnotherPurpose(int? id, int? version, string expected)
    {
        Assert.False(ConsentImportRules.TryValidate(1, Good with { ConsentTextId = id, ConsentTextVersion = version }, "GB", Now, Texts, PurposeCatalog.Default, out _, out var rejection));

        Assert.StartsWith(expected, rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_ListsEveryProblemOfTheRowAndNeverTheNumber_WhenSeveralFieldsAreWrong()
    {
        Assert.False(ConsentImportRules.TryValidate(2, new ConsentImportInput("07700 90012", null, null, null, null, null, null, null, null, new string('x', 513)), "GB", Now, Texts, PurposeCatalog.Default, out _, out var rejection));

        Assert.Equal(["phone", "purpose", "action", "occurredAt", "source", "userAgent"], rejection.Reason.Split("; ").Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
        Assert.DoesNotContain("90012", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InApplyOrder_SortsByTimeThenAsSent_AndRejectsASecondRowForTheSameStateAtTheSameInstant()
    {
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ConsentImportRow Row(int n, DateTimeOffset when, Purpose? purpose = null) => new(n, "+447700900123", purpose ?? Purpose.Promotions, ConsentAction.Granted, when, 2, "crm", null, null, null);
        var rejected = new List<ConsentImportRejection>();

        var ordered = ConsentImportRules.InApplyOrder([Row(1, at.AddDays(1)), Row(2, at), Row(3, at, Purpose.AccountAlerts), Row(4, at)], rejected);

        Assert.Equal([2, 3, 1], ordered.Select(r => r.Row));
        Assert.Equal(4, Assert.Single(rejected).Row);
    }
}
