using Microsoft.EntityFrameworkCore.Migrations;

namespace PreferenceCenter.Migrations.Sqlite;

/// <summary>SQLite triggers that make a table refuse UPDATE and DELETE, whoever sends them.</summary>
internal static class AppendOnlyTriggers
{
    public static void Create(MigrationBuilder migrationBuilder, string table)
    {
        migrationBuilder.Sql($"""
            CREATE TRIGGER "TR_{table}_NoUpdate" BEFORE UPDATE ON "{table}"
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be updated'); END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER "TR_{table}_NoDelete" BEFORE DELETE ON "{table}"
            BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be deleted'); END;
            """);
    }

    public static void Drop(MigrationBuilder migrationBuilder, string table)
    {
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_{table}_NoUpdate";""");
        migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_{table}_NoDelete";""");
    }

    /// <summary>
    /// ConsentEvents after the hash chain: a row is immutable once sealed (Hash set); an unsealed legacy row may only
    /// receive its chain columns, once.
    /// </summary>
    public static void CreateSealOnceUpdateTrigger(MigrationBuilder migrationBuilder)
    {
        string[] fixedColumns = ["Id", "Sequence", "CustomerId", "PhoneE164", "Purpose", "Action", "OccurredAt", "RecordedAt", "Method", "Actor", "IpAddress", "UserAgent", "Locale", "Reason", "ConsentTextId"];
        var changed = string.Join(" OR ", fixedColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        migrationBuilder.Sql($"""
            CREATE TRIGGER "TR_ConsentEvents_NoUpdate" BEFORE UPDATE ON "ConsentEvents"
            WHEN OLD."Hash" IS NOT NULL OR {changed}
            BEGIN SELECT RAISE(ABORT, 'ConsentEvents is append-only: rows cannot be updated'); END;
            """);
    }

    /// <summary>
    /// ConsentEvents from the evidence migration on. Non-personal columns never change; chain columns only on an
    /// unsealed legacy row; personal columns (phone, IP, user agent) only to their erased values, so erasure works
    /// and every other edit still fails.
    /// </summary>
    public static void CreateSealedEventTrigger(MigrationBuilder migrationBuilder)
    {
        string[] fixedColumns = ["Id", "Sequence", "CustomerId", "Purpose", "Action", "OccurredAt", "RecordedAt", "Method", "Actor", "Locale", "Reason", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion"];
        string[] chainColumns = ["PersonalDigest", "PreviousHash", "Hash"];
        string[] personalColumns = ["PhoneE164", "IpAddress", "UserAgent"];
        var fixedChanged = string.Join(" OR ", fixedColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        var chainChanged = string.Join(" OR ", chainColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        var personalChanged = string.Join(" OR ", personalColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        migrationBuilder.Sql($"""
            CREATE TRIGGER "TR_ConsentEvents_NoUpdate" BEFORE UPDATE ON "ConsentEvents"
            WHEN {fixedChanged}
              OR (OLD."Hash" IS NOT NULL AND ({chainChanged}))
              OR (({personalChanged}) AND NOT (NEW."PhoneE164" = '' AND NEW."IpAddress" IS NULL AND NEW."UserAgent" IS NULL))
            BEGIN SELECT RAISE(ABORT, 'ConsentEvents is append-only: rows cannot be updated'); END;
            """);
    }

    /// <summary>
    /// The reasons encoding version 3 keeps in the hashed bytes (LedgerEncoding.PlainReasons, frozen with that version):
    /// copied here so this migration's SQL never changes.
    /// </summary>
    internal const string PlainReasonsV3 = "'number changed', 'stop all texts', 'account deleted', 'number verified by another customer', 'kept after change', 'withdrawn after change', 'not reconfirmed after change'";

    /// <summary>
    /// ConsentEvents from encoding version 3 (ADR 0027): as <see cref="CreateSealedEventTrigger"/>, and erasure may also
    /// blank a typed reason (to null, together with the other personal fields) on an event of version 3 or later,
    /// where the reason is under the personal digest. The app's own reasons, and every reason of an older event, are
    /// in the hashed bytes and never change.
    /// </summary>
    public static void CreateErasableReasonEventTrigger(MigrationBuilder migrationBuilder)
    {
        string[] fixedColumns = ["Id", "Sequence", "CustomerId", "Purpose", "Action", "OccurredAt", "RecordedAt", "Method", "Actor", "Locale", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion"];
        string[] chainColumns = ["PersonalDigest", "PreviousHash", "Hash"];
        string[] personalColumns = ["PhoneE164", "IpAddress", "UserAgent"];
        var fixedChanged = string.Join(" OR ", fixedColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        var chainChanged = string.Join(" OR ", chainColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        var personalChanged = string.Join(" OR ", personalColumns.Select(c => $"NEW.\"{c}\" IS NOT OLD.\"{c}\""));
        const string erasedValues = "NEW.\"PhoneE164\" = '' AND NEW.\"IpAddress\" IS NULL AND NEW.\"UserAgent\" IS NULL";
        migrationBuilder.Sql($"""
            CREATE TRIGGER "TR_ConsentEvents_NoUpdate" BEFORE UPDATE ON "ConsentEvents"
            WHEN {fixedChanged}
              OR (OLD."Hash" IS NOT NULL AND ({chainChanged}))
              OR (({personalChanged}) AND NOT ({erasedValues}))
              OR (NEW."Reason" IS NOT OLD."Reason" AND NOT (NEW."Reason" IS NULL AND OLD."EncodingVersion" >= 3
                  AND OLD."Reason" NOT IN ({PlainReasonsV3}) AND {erasedValues}))
            BEGIN SELECT RAISE(ABORT, 'ConsentEvents is append-only: rows cannot be updated'); END;
            """);
    }

    /// <summary>
    /// ConsentTexts with drafts (ADR 0016): a published row never changes and is never removed, and a draft can only
    /// leave that state by being published; drafts are edited or discarded freely. Events may only point at a
    /// published version, so a draft that could still change is never what someone agreed to.
    /// </summary>
    public static void CreateConsentTextVersionTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_ConsentTexts_NoUpdate" BEFORE UPDATE ON "ConsentTexts"
            WHEN OLD."Status" = 'Published' OR NEW."Status" NOT IN ('Draft', 'Published')
            BEGIN SELECT RAISE(ABORT, 'ConsentTexts: a published version is immutable; publish a new version instead'); END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_ConsentTexts_NoDelete" BEFORE DELETE ON "ConsentTexts"
            WHEN OLD."Status" = 'Published'
            BEGIN SELECT RAISE(ABORT, 'ConsentTexts: a published version cannot be deleted'); END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "TR_ConsentEvents_PublishedTextOnly" BEFORE INSERT ON "ConsentEvents"
            WHEN NOT EXISTS (SELECT 1 FROM "ConsentTexts" WHERE "Id" = NEW."ConsentTextId" AND "Status" = 'Published')
            BEGIN SELECT RAISE(ABORT, 'ConsentEvents: consent can only be recorded against a published text version'); END;
            """);
    }

    public static void DropConsentTextVersionTriggers(MigrationBuilder migrationBuilder)
    {
        Drop(migrationBuilder, "ConsentTexts");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_PublishedTextOnly";""");
    }
}
