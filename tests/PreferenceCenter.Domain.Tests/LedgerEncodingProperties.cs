using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Ledger;

namespace PreferenceCenter.Domain.Tests;

/// <summary>
/// The byte-level encoder against a plain string implementation of docs/ledger-encoding.md (the reference below),
/// and the personal digest against the platform's HMAC, for arbitrary fields: escapes, nulls, non-ASCII, long keys.
/// </summary>
public class LedgerEncodingProperties
{
    private static readonly Gen<string?> Texts = Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (1, Gen.Constant<string?>(string.Empty)),
        (4, Gen.Elements("web", "a\\b", "line\nbreak", "cr\rlf\r\n", "ñandú ☎ 电话", "\\n literal", "x", "account deleted").Select(s => (string?)s)),
        (2, ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => (string?)s.Get)));

    private static Arbitrary<ConsentEvent> Events() =>
        (from sequence in Gen.Choose(1, int.MaxValue)
         from ticks in Gen.Choose(0, int.MaxValue).Select(t => new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(t * 1_234_567L))
         from recordedLater in Gen.Choose(0, 5000)
         from method in Texts
         from actor in Texts
         from ip in Texts
         from ua in Texts
         from locale in Texts
         from reason in Texts
         from origin in Texts
         from textSha in Texts
         from purpose in Gen.Elements(PurposeCatalog.Default.All.ToArray())
         from action in Gen.Elements(ConsentAction.Granted, ConsentAction.Revoked)
         from textId in Gen.Choose(1, 1000)
         select ConsentEvent.Create(sequence, Guid.NewGuid(), "+447700900123", purpose, action, ticks, textId,
             new ConsentEvidence(method ?? "web", actor ?? "system", ip, ua, locale, reason, origin), ticks.AddMilliseconds(recordedLater), textSha256: textSha))
        .ToArbitrary();

    [Property(MaxTest = 500)]
    public Property Canonical_EqualsTheReferenceEncoding_ForAnyEvent() =>
        Prop.ForAll(Events(), e =>
            LedgerEncoding.Canonical(e, "digest", "prev").AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Reference(e, "digest", "prev"))));

    [Property(MaxTest = 500)]
    public Property PersonalDigest_EqualsThePlatformHmac_ForAnyKeyAndFields() =>
        Prop.ForAll(
            Gen.Choose(1, 200).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n)).ToArbitrary(),
            Texts.ToArbitrary(),
            Texts.ToArbitrary(),
            (key, ip, ua) =>
            {
                var text = Line("phone", "+447700900123") + Line("ip", ip) + Line("user_agent", ua);
                var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
                return LedgerEncoding.PersonalDigest(key, "+447700900123", ip, ua) == expected;
            });

    [Property(MaxTest = 300)]
    public Property PersonalDigest_OfVersion3_EqualsThePlatformHmac_WithTheTypedReason() =>
        Prop.ForAll(
            Texts.ToArbitrary(),
            Texts.ToArbitrary(),
            (ip, reason) =>
            {
                var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
                var typed = reason is null || LedgerEncoding.PlainReasons.Contains(reason) ? null : reason;
                var text = Line("phone", "+447700900123") + Line("ip", ip) + Line("user_agent", null) + Line("reason", typed);
                var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
                return LedgerEncoding.PersonalDigest(key, 3, "+447700900123", ip, null, reason) == expected;
            });

    /// <summary>docs/ledger-encoding.md, written the obvious way.</summary>
    private static string Reference(ConsentEvent e, string personal, string previous)
    {
        var v2 = e.EncodingVersion != 1;
        var v3 = e.EncodingVersion >= 3;
        var plain = e.Reason is null || LedgerEncoding.PlainReasons.Contains(e.Reason);
        return Line("v", e.EncodingVersion.ToString(CultureInfo.InvariantCulture))
            + Line("sequence", e.Sequence.ToString(CultureInfo.InvariantCulture))
            + Line("id", e.Id.ToString("D"))
            + Line("customer", e.CustomerId.ToString("D"))
            + Line("purpose", e.Purpose.ToString())
            + Line("action", e.Action.ToString())
            + Line("occurred_at", e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
            + Line("recorded_at", e.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
            + Line("method", e.Method)
            + Line("actor", e.Actor)
            + Line("locale", e.Locale)
            + Line("text_id", e.ConsentTextId.ToString(CultureInfo.InvariantCulture))
            + (v2 ? Line("text_sha256", e.TextSha256) + Line("origin", e.Origin) : string.Empty)
            + Line("reason", !v3 || plain ? e.Reason : null)
            + Line("personal", personal)
            + Line("prev", previous);
    }

    private static string Line(string name, string? value) =>
        value is null ? name + "\n" : name + "=" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\n";
}
