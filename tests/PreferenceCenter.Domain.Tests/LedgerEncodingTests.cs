using System.Text;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Domain.Tests;

public class LedgerEncodingTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static ConsentEvent Event(string? reason = null, string? ip = "203.0.113.7") =>
        ConsentEvent.Create(1, Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), "+447700900123", Purpose.Promotions, ConsentAction.Granted, At, 2,
            new ConsentEvidence("web", "customer:0193a1b2-0000-7000-8000-000000000001", ip, "TestBrowser/1.0", "en-GB", reason));

    [Fact]
    public void Canonical_ListsFieldsInTheDocumentedOrder_WithoutPersonalData()
    {
        var e = Event();
        var text = Encoding.UTF8.GetString(LedgerEncoding.Canonical(e, "d1", LedgerEncoding.Genesis));

        var names = text.TrimEnd('\n').Split('\n').Select(l => l.Split('=')[0]);
        Assert.Equal(["v", "sequence", "id", "customer", "purpose", "action", "occurred_at", "recorded_at", "method", "actor", "locale", "text_id", "text_sha256", "origin", "reason", "personal", "prev"], names);
        Assert.Contains("occurred_at=2026-11-23T09:00:00.0000000Z\n", text, StringComparison.Ordinal);
        Assert.Contains("\nreason\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("7700900123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.7", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Seal_ProducesTheWorkedExampleOfTheEncodingDocument()
    {
        // docs/ledger-encoding.md; the expected values were computed independently (Python hashlib/hmac).
        var e = WorkedExample(reason: "asked by phone not to get offers");

        e.Seal(Key, LedgerEncoding.Genesis);

        var canonical = Encoding.UTF8.GetString(LedgerEncoding.Canonical(e, e.PersonalDigest!, e.PreviousHash!));
        Assert.StartsWith("v=3\n", canonical, StringComparison.Ordinal);
        Assert.Contains("\nreason\n", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("offers", canonical, StringComparison.Ordinal);
        Assert.Equal("4ebf59b4b2ad35e3ef67b852325c3944aad030e2053110ff2806a14cbb6de0e9", e.PersonalDigest);
        Assert.Equal("9e0f34a48dcd3ed846512687bfce5b40802167f04c366a31c8143d2def444069", e.Hash);
    }

    [Fact]
    public void Seal_ProducesTheVersion2Example_WhenTheEventPredatesTypedReasonsUnderTheDigest()
    {
        var e = WorkedExample();
        e.UseLegacyEncoding(2);

        e.Seal(Key, LedgerEncoding.Genesis);

        Assert.Equal("0dff97147ab9722b5b2142f8bb6ab891295a099e1c5a5e3118a59578dd7b1a0d", e.TextSha256);
        Assert.Equal("f5c24d1abca100c0020112c2acb69b6f2c7e70d0c4c95551d63d35abe27918fa", e.PersonalDigest);
        Assert.Equal("176acd336804c546d8600666ff008e01a6838783178f2562025945f78523fb6c", e.Hash);
    }

    [Fact]
    public void Hash_StaysTheSame_WhenErasureBlanksATypedReasonOfVersion3()
    {
        var typed = WorkedExample(reason: "caller 07700 900123 bob@example.com");
        typed.Seal(Key, LedgerEncoding.Genesis);
        var machine = WorkedExample(reason: ConsentReasons.AccountDeleted);
        machine.Seal(Key, LedgerEncoding.Genesis);
        var (typedHash, machineHash) = (typed.Hash!, machine.Hash!);

        typed.ErasePersonalData();
        machine.ErasePersonalData();

        Assert.Null(typed.Reason);
        Assert.Equal(ConsentReasons.AccountDeleted, machine.Reason);
        Assert.Equal(typedHash, LedgerEncoding.Hash(typed, typed.PersonalDigest!, typed.PreviousHash!));
        Assert.Equal(machineHash, LedgerEncoding.Hash(machine, machine.PersonalDigest!, machine.PreviousHash!));
        Assert.NotEqual(typed.PersonalDigest, LedgerEncoding.PersonalDigest(Key, LedgerEncoding.Version, typed.PhoneE164, null, null, null));
    }

    [Fact]
    public void ReasonIsPersonal_OnlyForTypedReasonsFromVersion3()
    {
        Assert.True(LedgerEncoding.ReasonIsPersonal(3, "caller asked"));
        Assert.False(LedgerEncoding.ReasonIsPersonal(3, ConsentReasons.NumberChanged));
        Assert.False(LedgerEncoding.ReasonIsPersonal(3, null));
        Assert.False(LedgerEncoding.ReasonIsPersonal(2, "caller asked"));
        Assert.False(LedgerEncoding.ReasonIsPersonal(1, "caller asked"));
    }

    [Fact]
    public void PlainReasons_AreTheAppsOwnReasons()
    {
        var constants = typeof(ConsentReasons).GetFields().Select(f => (string)f.GetValue(null)!).ToList();

        Assert.All(LedgerEncoding.PlainReasons, r => Assert.Contains(r, constants));
    }

    [Fact]
    public void Seal_ProducesTheVersion1Example_WhenTheEventPredatesTextHashes()
    {
        var e = WorkedExample();
        e.UseLegacyEncoding();

        e.Seal(Key, LedgerEncoding.Genesis);

        Assert.StartsWith("v=1\n", Encoding.UTF8.GetString(LedgerEncoding.Canonical(e, e.PersonalDigest!, e.PreviousHash!)), StringComparison.Ordinal);
        Assert.Equal("c33aedd0dfc1b7ad29f92bb8b30ca02030e2277e59c2d2ef262660e0a826dc5e", e.Hash);
    }

    [Fact]
    public void TextSha256_IsTheHashOfLabelLineFeedBody()
    {
        var text = ConsentText.Create(2, Purpose.Promotions, "en", 1, "Promotions", PromotionsBody, At);

        Assert.Equal("Promotions\n" + PromotionsBody, text.RenderedText);
        Assert.Equal("0dff97147ab9722b5b2142f8bb6ab891295a099e1c5a5e3118a59578dd7b1a0d", text.TextSha256);
    }

    [Fact]
    public void Hash_Changes_WhenTextHashOrOriginDiffers()
    {
        var a = WorkedExample();
        var b = ConsentEvent.Create(1, a.CustomerId, a.PhoneE164, a.Purpose, a.Action, At, 2, new ConsentEvidence("web", a.Actor, a.IpAddress, a.UserAgent, a.Locale, Origin: "https://evil.example"), id: a.Id, textSha256: a.TextSha256);
        var c = ConsentEvent.Create(1, a.CustomerId, a.PhoneE164, a.Purpose, a.Action, At, 2, new ConsentEvidence("web", a.Actor, a.IpAddress, a.UserAgent, a.Locale, Origin: a.Origin), id: a.Id, textSha256: new string('f', 64));

        var hashes = new[] { a, b, c }.Select(x => LedgerEncoding.Hash(x, "d", LedgerEncoding.Genesis));

        Assert.Equal(3, hashes.Distinct().Count());
    }

    private const string PromotionsBody = "Offers, new products and event invitations by text, at most 4 messages a month. Agreeing is not a condition of any purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.";

    private static ConsentEvent WorkedExample(string? reason = null) =>
        ConsentEvent.Create(1, Guid.Parse("0193a1b2-0000-7000-8000-000000000001"), "+447700900123", Purpose.Promotions, ConsentAction.Granted, At, 2,
            new ConsentEvidence("web", "customer:0193a1b2-0000-7000-8000-000000000001", "203.0.113.7", "TestBrowser/1.0", "en-GB", reason, Origin: "https://prefs.example.com"),
            id: Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa"),
            textSha256: "0dff97147ab9722b5b2142f8bb6ab891295a099e1c5a5e3118a59578dd7b1a0d");

    [Fact]
    public void Hash_DistinguishesNullFromEmptyAndEscapesNewlines()
    {
        var none = LedgerEncoding.Hash(Event(reason: null), "d", LedgerEncoding.Genesis);
        var empty = LedgerEncoding.Hash(Event(reason: string.Empty), "d", LedgerEncoding.Genesis);
        var injected = LedgerEncoding.Hash(Event(reason: "x\npersonal=forged"), "d", LedgerEncoding.Genesis);
        var literal = LedgerEncoding.Hash(Event(reason: "x\\npersonal=forged"), "d", LedgerEncoding.Genesis);

        Assert.Equal(4, new[] { none, empty, injected, literal }.Distinct().Count());
    }

    [Fact]
    public void Seal_ChainsToThePreviousHash_AndCommitsToPersonalFieldsThroughTheDigest()
    {
        var a = Event();
        a.Seal(Key, LedgerEncoding.Genesis);
        var b = Event(ip: "198.51.100.1");
        b.Seal(Key, LedgerEncoding.Genesis);
        var c = Event();
        c.Seal(Key, a.Hash!);

        Assert.Equal(LedgerEncoding.Genesis, a.PreviousHash);
        Assert.NotEqual(a.PersonalDigest, b.PersonalDigest);
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
        Assert.Equal(a.Hash, LedgerEncoding.Hash(a, a.PersonalDigest!, a.PreviousHash!));
        Assert.Throws<InvalidOperationException>(() => a.Seal(Key, LedgerEncoding.Genesis));
    }

    [Fact]
    public void PersonalDigest_IsAKeyedHmac_SoWithoutTheKeyItRevealsNothing()
    {
        var withKey = LedgerEncoding.PersonalDigest(Key, "+447700900123", null, null);
        var otherKey = LedgerEncoding.PersonalDigest(new byte[32], "+447700900123", null, null);

        Assert.Matches("^[0-9a-f]{64}$", withKey);
        Assert.NotEqual(withKey, otherKey);
        Assert.NotEqual(withKey, LedgerEncoding.PersonalDigest(Key, "+447700900123", string.Empty, null));
    }
}
