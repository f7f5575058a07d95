using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Domain.Tests;

public class ConsentReplayProperties
{
    private static readonly Guid[] Customers = [Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), Guid.Parse("0193a1b2-0000-7000-8000-000000000002"), Guid.Parse("0193a1b2-0000-7000-8000-000000000003")];

    private static readonly string[] Phones = ["+447700900101", "+447700900102", "+447700900103"];

    /// <summary>Random requests: who, which purpose, grant or revoke, from which number, minutes after the previous one.</summary>
    private static Arbitrary<(int Customer, Purpose Purpose, ConsentAction Action, int Phone, int Gap)[]> Histories() =>
        Gen.ArrayOf(
                from customer in Gen.Choose(0, Customers.Length - 1)
                from purpose in Gen.Elements(PurposeCatalog.Default.All.ToArray())
                from action in Gen.Elements(ConsentAction.Granted, ConsentAction.Revoked)
                from phone in Gen.Choose(0, Phones.Length - 1)
                from gap in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(1, 90)))
                select (customer, purpose, action, phone, gap))
            .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property ProjectionEqualsReplay_AtEveryPrefix_WhenGivenAnyHistory() =>
        Prop.ForAll(Histories(), requests =>
        {
            var log = Append(requests);
            for (var n = 1; n <= log.Count; n++)
            {
                var prefix = log.Take(n).ToList();
                var projection = ConsentState.Replay(prefix);
                var instant = prefix[^1].RecordedAt;
                foreach (var customer in Customers)
                {
                    foreach (var purpose in PurposeCatalog.Default.All)
                    {
                        var answer = ConsentReplay.At(prefix.Where(e => e.CustomerId == customer), purpose, instant);
                        var state = projection.GetValueOrDefault((customer, purpose));
                        if (answer.Granted != (state?.Granted ?? false) || answer.DecidingEvent?.Sequence != state?.LastSequence)
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 300)]
    public Property ConsentAt_SeesOnlyEventsRecordedByTheInstant_WhenAskedAboutThePast() =>
        Prop.ForAll(Histories(), Gen.Choose(0, 5000).ToArbitrary(), (requests, minutes) =>
        {
            var log = Append(requests);
            var instant = ConsentTestData.Start.AddMinutes(minutes);
            var known = log.Where(e => e.RecordedAt <= instant).ToList();
            return Customers.All(c => PurposeCatalog.Default.All.All(p =>
                ConsentReplay.At(log.Where(e => e.CustomerId == c), p, instant) == ConsentReplay.At(known.Where(e => e.CustomerId == c), p, instant)));
        });

    [Fact]
    public void ConsentAt_NamesTheDecidingEvent_AndIsFalseBeforeAnyEvent()
    {
        var customer = Customers[0];
        var grant = ConsentTestData.Event(1, customer, ConsentAction.Granted);
        var revoke = ConsentTestData.Event(2, customer, ConsentAction.Revoked);

        Assert.False(ConsentReplay.At([grant, revoke], Purpose.Promotions, grant.RecordedAt.AddTicks(-1)).Granted);
        Assert.Same(grant, ConsentReplay.At([revoke, grant], Purpose.Promotions, grant.RecordedAt).DecidingEvent);
        Assert.True(ConsentReplay.At([grant, revoke], Purpose.Promotions, revoke.RecordedAt.AddTicks(-1)).Granted);
        Assert.Same(revoke, ConsentReplay.At([grant, revoke], Purpose.Promotions, revoke.RecordedAt).DecidingEvent);
        Assert.Null(ConsentReplay.At([grant, revoke], Purpose.AccountAlerts, revoke.RecordedAt).DecidingEvent);
    }

    // Mirrors the ledger writer: a request that would not change the state appends nothing.
    private static List<ConsentEvent> Append((int Customer, Purpose Purpose, ConsentAction Action, int Phone, int Gap)[] requests)
    {
        var log = new List<ConsentEvent>();
        var at = ConsentTestData.Start;
        foreach (var r in requests)
        {
            at = at.AddMinutes(r.Gap);
            var customer = Customers[r.Customer];
            var current = ConsentReplay.At(log.Where(e => e.CustomerId == customer), r.Purpose, DateTimeOffset.MaxValue);
            if (current.Granted == (r.Action == ConsentAction.Granted))
            {
                continue;
            }

            log.Add(ConsentEvent.Create(log.Count + 1, customer, Phones[r.Phone], r.Purpose, r.Action, at, 1, ConsentTestData.Evidence));
        }

        return log;
    }
}
