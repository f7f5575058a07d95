using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Tests;

internal static class ConsentTestData
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly ConsentEvidence Evidence = new(ConsentMethod.Web, "user-1", "203.0.113.7", "Mozilla/5.0", "en-GB");

    public static ConsentEvent Event(
        long sequence,
        Guid customerId,
        ConsentAction action,
        Purpose? purpose = null,
        string phone = "+447700900123",
        int textId = 1) =>
        ConsentEvent.Create(sequence, customerId, phone, purpose ?? Purpose.Promotions, action, Start.AddMinutes(sequence), textId, Evidence);
}
