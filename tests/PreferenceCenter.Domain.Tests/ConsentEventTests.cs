using PreferenceCenter.Domain.Consents;
using static PreferenceCenter.Domain.Tests.ConsentTestData;

namespace PreferenceCenter.Domain.Tests;

public class ConsentEventTests
{
    private static readonly Guid Customer = Guid.Parse("00000000-0000-0000-0000-0000000000c1");

    private static ConsentEvent Create(
        long sequence = 1,
        string phone = "+447700900123",
        DateTimeOffset? occurredAt = null,
        ConsentEvidence? evidence = null) =>
        ConsentEvent.Create(sequence, Customer, phone, Purpose.AccountAlerts, ConsentAction.Granted, occurredAt ?? Start, 4, evidence ?? Evidence);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Create_Throws_WhenSequenceIsBelowOne(long sequence)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Create(sequence));
        Assert.Equal("sequence", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_Throws_WhenPhoneIsEmpty(string phone)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(phone: phone));
        Assert.Equal("phoneE164", ex.ParamName);
    }

    [Fact]
    public void Create_Throws_WhenPhoneOrEvidenceIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Create(phone: null!));
        Assert.Throws<ArgumentNullException>(
            () => ConsentEvent.Create(1, Customer, "+447700900123", Purpose.Promotions, ConsentAction.Granted, Start, 1, null!));
    }

    [Fact]
    public void Create_StoresOccurredAtInUtc_WhenGivenAnotherOffset()
    {
        var local = new DateTimeOffset(2025, 3, 1, 14, 30, 0, TimeSpan.FromHours(2));

        var e = Create(occurredAt: local);

        Assert.Equal(TimeSpan.Zero, e.OccurredAt.Offset);
        Assert.Equal(new DateTime(2025, 3, 1, 12, 30, 0, DateTimeKind.Utc), e.OccurredAt.UtcDateTime);
        Assert.Equal(local, e.OccurredAt);
    }

    [Fact]
    public void Create_CopiesArgumentsAndEvidence_WhenValuesFitTheirColumns()
    {
        var evidence = new ConsentEvidence(ConsentMethod.Embedded("shop"), "agent:42", "2001:db8::1", "curl/8.5", "fr-FR", ConsentReasons.StopAll);

        var e = ConsentEvent.Create(9, Customer, "+33612345678", Purpose.Promotions, ConsentAction.Revoked, Start, 12, evidence);

        Assert.Equal(9, e.Sequence);
        Assert.Equal(Customer, e.CustomerId);
        Assert.Equal("+33612345678", e.PhoneE164);
        Assert.Equal(Purpose.Promotions, e.Purpose);
        Assert.Equal(ConsentAction.Revoked, e.Action);
        Assert.Equal(12, e.ConsentTextId);
        Assert.Equal("embedded:shop", e.Method);
        Assert.Equal("agent:42", e.Actor);
        Assert.Equal("2001:db8::1", e.IpAddress);
        Assert.Equal("curl/8.5", e.UserAgent);
        Assert.Equal("fr-FR", e.Locale);
        Assert.Equal("stop all texts", e.Reason);
    }

    [Fact]
    public void Create_KeepsNullEvidenceFields_WhenTheyAreNotKnown()
    {
        var e = Create(evidence: new ConsentEvidence(ConsentMethod.System, "system", null, null, null));

        Assert.Null(e.IpAddress);
        Assert.Null(e.UserAgent);
        Assert.Null(e.Locale);
        Assert.Null(e.Reason);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(513, 512)]
    [InlineData(5000, 512)]
    public void Create_TruncatesUserAgentTo512_WhenItIsLonger(int length, int expected)
    {
        var userAgent = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));

        var e = Create(evidence: Evidence with { UserAgent = userAgent });

        Assert.Equal(userAgent[..expected], e.UserAgent);
    }

    [Fact]
    public void Create_TruncatesOtherEvidence_WhenLongerThanColumns()
    {
        var e = Create(evidence: Evidence with { IpAddress = new string('1', 100), Locale = new string('l', 50), Reason = new string('r', 300) });

        Assert.Equal(64, e.IpAddress!.Length);
        Assert.Equal(35, e.Locale!.Length);
        Assert.Equal(200, e.Reason!.Length);
    }

    [Fact]
    public void Create_GivesEachEventAVersion7Id_WhenCalledTwice()
    {
        var first = Create();
        var second = Create();

        Assert.Equal(7, first.Id.Version);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void WithReason_SetsReasonAndKeepsTheRest_WhenCalled()
    {
        var withReason = Evidence.WithReason(ConsentReasons.NumberChanged);

        Assert.Equal("number changed", withReason.Reason);
        Assert.Null(Evidence.Reason);
        Assert.Equal(Evidence with { Reason = "number changed" }, withReason);
        Assert.Equal("number changed", Create(evidence: withReason).Reason);
    }
}
