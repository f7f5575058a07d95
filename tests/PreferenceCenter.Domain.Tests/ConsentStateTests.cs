using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PreferenceCenter.Domain.Consents;
using static PreferenceCenter.Domain.Tests.ConsentTestData;

namespace PreferenceCenter.Domain.Tests;

public class ConsentStateTests
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    [Fact]
    public void From_IsGrantedWithEventDetails_WhenFirstEventIsAGrant()
    {
        var e = Event(7, Alice, ConsentAction.Granted, Purpose.AccountAlerts, "+4915123456789", textId: 3);

        var state = ConsentState.From(e);

        Assert.True(state.Granted);
        Assert.Equal(Alice, state.CustomerId);
        Assert.Equal(Purpose.AccountAlerts, state.Purpose);
        Assert.Equal("+4915123456789", state.PhoneE164);
        Assert.Equal(3, state.ConsentTextId);
        Assert.Equal(7, state.LastSequence);
        Assert.Equal(e.Id, state.LastEventId);
        Assert.Equal(e.OccurredAt, state.ChangedAt);
    }

    [Fact]
    public void Apply_RevokesAndMovesForward_WhenNextEventIsARevoke()
    {
        var state = ConsentState.From(Event(1, Alice, ConsentAction.Granted));
        var revoke = Event(4, Alice, ConsentAction.Revoked, phone: "+447700900999", textId: 2);

        state.Apply(revoke);

        Assert.False(state.Granted);
        Assert.Equal("+447700900999", state.PhoneE164);
        Assert.Equal(2, state.ConsentTextId);
        Assert.Equal(4, state.LastSequence);
        Assert.Equal(revoke.Id, state.LastEventId);
        Assert.Equal(revoke.OccurredAt, state.ChangedAt);
    }

    [Theory]
    [InlineData(ConsentAction.Granted, ConsentAction.Granted, true)]
    [InlineData(ConsentAction.Granted, ConsentAction.Revoked, false)]
    [InlineData(ConsentAction.Revoked, ConsentAction.Revoked, true)]
    [InlineData(ConsentAction.Revoked, ConsentAction.Granted, false)]
    public void IsAlready_IsTrueOnlyForTheCurrentState_WhenAskedAboutAnAction(ConsentAction current, ConsentAction asked, bool expected)
    {
        var state = ConsentState.From(Event(1, Alice, current));

        Assert.Equal(expected, state.IsAlready(asked));
    }

    [Fact]
    public void Apply_Throws_WhenEventIsForAnotherCustomer()
    {
        var state = ConsentState.From(Event(1, Alice, ConsentAction.Granted));

        Assert.Throws<InvalidOperationException>(() => state.Apply(Event(2, Bob, ConsentAction.Revoked)));
        Assert.True(state.Granted);
        Assert.Equal(1, state.LastSequence);
    }

    [Fact]
    public void Apply_Throws_WhenEventIsForAnotherPurpose()
    {
        var state = ConsentState.From(Event(1, Alice, ConsentAction.Granted, Purpose.Promotions));

        Assert.Throws<InvalidOperationException>(() => state.Apply(Event(2, Alice, ConsentAction.Revoked, Purpose.AccountAlerts)));
        Assert.True(state.Granted);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void Apply_Throws_WhenSequenceIsNotAfterLastApplied(long sequence)
    {
        var state = ConsentState.From(Event(5, Alice, ConsentAction.Granted));

        Assert.Throws<InvalidOperationException>(() => state.Apply(Event(sequence, Alice, ConsentAction.Revoked)));
        Assert.True(state.Granted);
        Assert.Equal(5, state.LastSequence);
    }

    [Fact]
    public void Replay_EqualsSequentialApply_WhenLogIsShuffled()
    {
        var customers = new[] { Alice, Bob };
        var rng = new Random(20250301);
        var log = Enumerable.Range(1, 24)
            .Select(seq => Event(
                seq,
                customers[rng.Next(2)],
                rng.Next(2) == 0 ? ConsentAction.Granted : ConsentAction.Revoked,
                PurposeCatalog.Default.All[rng.Next(2)],
                textId: seq))
            .ToList();
        var expected = new Dictionary<(Guid, Purpose), ConsentState>();
        foreach (var e in log)
        {
            if (expected.TryGetValue((e.CustomerId, e.Purpose), out var s))
            {
                s.Apply(e);
            }
            else
            {
                expected[(e.CustomerId, e.Purpose)] = ConsentState.From(e);
            }
        }

        var replayed = ConsentState.Replay(log.OrderBy(_ => rng.Next()).ToList());

        Assert.Equal(4, replayed.Count);
        Assert.Equal(expected.Keys.Order(), replayed.Keys.Order());
        foreach (var (key, want) in expected)
        {
            var got = replayed[key];
            Assert.Equal(
                (want.Granted, want.PhoneE164, want.ConsentTextId, want.LastEventId, want.LastSequence, want.ChangedAt),
                (got.Granted, got.PhoneE164, got.ConsentTextId, got.LastEventId, got.LastSequence, got.ChangedAt));
        }
    }

    [Fact]
    public void Replay_ReturnsNoStates_WhenLogIsEmpty()
    {
        Assert.Empty(ConsentState.Replay([]));
    }

    [Fact]
    public void Replay_Throws_WhenLogRepeatsASequenceForOneConsent()
    {
        ConsentEvent[] log = [Event(1, Alice, ConsentAction.Granted), Event(1, Alice, ConsentAction.Revoked)];

        Assert.Throws<InvalidOperationException>(() => ConsentState.Replay(log));
    }

    [Property(MaxTest = 300)]
    public Property Replay_GrantedEqualsLastAction_ForEveryCustomerAndPurpose()
    {
        Guid[] customers = [Alice, Bob, Guid.Parse("00000000-0000-0000-0000-00000000000c")];
        var step = Gen.Zip(
            Gen.Zip(Gen.Elements(customers), Gen.Elements([.. PurposeCatalog.Default.All]), (c, p) => (Customer: c, Purpose: p)),
            Gen.Elements(ConsentAction.Granted, ConsentAction.Revoked),
            (key, action) => (key.Customer, key.Purpose, Action: action));
        var scenario = Gen.NonEmptyListOf(step)
            .SelectMany(
                steps => Gen.Shuffle(steps.Select((s, i) => Event(i + 1, s.Customer, s.Action, s.Purpose))),
                (steps, shuffled) => (Steps: steps, Shuffled: shuffled));

        return Prop.ForAll(scenario.ToArbitrary(), t =>
        {
            var replayed = ConsentState.Replay(t.Shuffled);
            var last = t.Steps
                .Select((s, i) => (Key: (s.Customer, s.Purpose), s.Action, Sequence: i + 1L))
                .GroupBy(x => x.Key)
                .ToDictionary(g => g.Key, g => g.Last());

            return replayed.Count == last.Count
                && last.All(kv => replayed[kv.Key].Granted == (kv.Value.Action == ConsentAction.Granted)
                    && replayed[kv.Key].LastSequence == kv.Value.Sequence);
        });
    }
}
