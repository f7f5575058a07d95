using System.Globalization;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Consents;

/// <summary>
/// The ledger's SQL append, in the storage formats the EF model uses on SQLite (see the entity configurations and
/// <c>PreferenceCenterDbContext.ConfigureConventions</c>): GUIDs as uppercase text, enums as their names, instants as
/// UTC ticks. A round-trip test reads every column back through EF.
/// </summary>
internal static class LedgerColumns
{
    /// <summary>One row whatever exists: nulls where the (published) text, number, state, events or key are missing.</summary>
    public const string ReadAppendContext = """
        SELECT t."Purpose", t."Label", t."Body",
            (SELECT p."PhoneE164" FROM "CustomerPhones" AS p WHERE p."CustomerId" = $c AND p."ReplacedAt" IS NULL LIMIT 1),
            s."Granted", s."PhoneE164", s."LastSequence", head."Sequence", head."Hash",
            (SELECT k."Key" FROM "CustomerLedgerKeys" AS k WHERE k."CustomerId" = $c),
            s."ConsentTextId"
        FROM (SELECT 1) AS one
        LEFT JOIN "ConsentTexts" AS t ON t."Id" = $text AND t."Status" = 'Published'
        LEFT JOIN "ConsentStates" AS s ON s."CustomerId" = $c AND s."Purpose" = $p
        LEFT JOIN (SELECT "Sequence", "Hash" FROM "ConsentEvents" ORDER BY "Sequence" DESC LIMIT 1) AS head ON 1 = 1
        """;

    public const string InsertEvent = """
        INSERT INTO "ConsentEvents" ("Id", "Sequence", "CustomerId", "PhoneE164", "Purpose", "Action", "OccurredAt", "RecordedAt",
            "Method", "Actor", "IpAddress", "UserAgent", "Locale", "Reason", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion",
            "PersonalDigest", "PreviousHash", "Hash")
        VALUES ($id, $sequence, $customer, $phone, $purpose, $action, $occurredAt, $recordedAt,
            $method, $actor, $ip, $userAgent, $locale, $reason, $textId, $textSha256, $origin, $encodingVersion,
            $personalDigest, $previousHash, $hash)
        """;

    public const string InsertState = """
        INSERT INTO "ConsentStates" ("CustomerId", "Purpose", "Granted", "PhoneE164", "ConsentTextId", "LastEventId", "LastSequence", "ChangedAt")
        VALUES ($customer, $purpose, $granted, $phone, $textId, $id, $sequence, $occurredAt)
        """;

    // LastSequence is the state's concurrency token: the update only lands on the state the append was decided on.
    public const string UpdateState = """
        UPDATE "ConsentStates" SET "Granted" = $granted, "PhoneE164" = $phone, "ConsentTextId" = $textId, "LastEventId" = $id,
            "LastSequence" = $sequence, "ChangedAt" = $occurredAt
        WHERE "CustomerId" = $customer AND "Purpose" = $purpose AND "LastSequence" = $expected
        """;

    public const string InsertWebhookOutbox = """
        INSERT INTO "WebhookOutbox" ("Sequence", "CustomerId", "Purpose", "Action") VALUES ($sequence, $customer, $purpose, $action)
        """;

    public static string Id(Guid value) => value.ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant();

    public static (string Name, object? Value)[] EventParameters(ConsentEvent e) =>
    [
        ("$id", Id(e.Id)),
        ("$sequence", e.Sequence),
        ("$customer", Id(e.CustomerId)),
        ("$phone", e.PhoneE164),
        ("$purpose", e.Purpose.ToString()),
        ("$action", e.Action.ToString()),
        ("$occurredAt", e.OccurredAt.UtcTicks),
        ("$recordedAt", e.RecordedAt.UtcTicks),
        ("$method", e.Method),
        ("$actor", e.Actor),
        ("$ip", e.IpAddress),
        ("$userAgent", e.UserAgent),
        ("$locale", e.Locale),
        ("$reason", e.Reason),
        ("$textId", e.ConsentTextId),
        ("$textSha256", e.TextSha256),
        ("$origin", e.Origin),
        ("$encodingVersion", e.EncodingVersion),
        ("$personalDigest", e.PersonalDigest),
        ("$previousHash", e.PreviousHash),
        ("$hash", e.Hash),
    ];

    public static (string Name, object? Value)[] WebhookOutboxParameters(ConsentEvent e) =>
    [
        ("$sequence", e.Sequence),
        ("$customer", Id(e.CustomerId)),
        ("$purpose", e.Purpose.ToString()),
        ("$action", e.Action.ToString()),
    ];

    public static (string Name, object? Value)[] StateParameters(ConsentEvent e) =>
    [
        ("$customer", Id(e.CustomerId)),
        ("$purpose", e.Purpose.ToString()),
        ("$granted", e.Action == ConsentAction.Granted),
        ("$phone", e.PhoneE164),
        ("$textId", e.ConsentTextId),
        ("$id", Id(e.Id)),
        ("$sequence", e.Sequence),
        ("$occurredAt", e.OccurredAt.UtcTicks),
    ];
}
