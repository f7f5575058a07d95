using Microsoft.EntityFrameworkCore.Migrations;

namespace PreferenceCenter.Migrations.Postgres;

/// <summary>
/// PostgreSQL triggers that make the ledger's tables refuse UPDATE, DELETE and TRUNCATE, whoever sends them: the same
/// rules as the SQLite set (src/PreferenceCenter.Migrations.Sqlite/AppendOnlyTriggers.cs), plus TRUNCATE, which
/// PostgreSQL runs without row triggers. A regenerated initial migration must end its Up with <see cref="CreateAll"/>,
/// <see cref="UseConsentTextVersionTriggers"/> and <see cref="UseErasableReasonEventRule"/>, and begin its Down with
/// <see cref="DropConsentTextVersionTriggers"/> and <see cref="DropAll"/> (README → Database migrations); the append-only tests fail on PostgreSQL without them.
/// </summary>
internal static class AppendOnlyTriggers
{
    /// <summary>Append-only without exception (ConsentEvents has its own update rule, below).</summary>
    public static readonly string[] Tables = ["ConsentEvents", "ConsentTexts", "ConsentTextImpressions", "AccessRecords", "LedgerCheckpoints"];

    public static void CreateAll(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""
            CREATE FUNCTION "PC_RefuseAppendOnlyChange"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: rows cannot be %', TG_TABLE_NAME,
                    CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
                    USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$;
            """);
        foreach (var table in Tables)
        {
            if (table != "ConsentEvents")
            {
                migrationBuilder.Sql($"""CREATE TRIGGER "TR_{table}_NoUpdate" BEFORE UPDATE ON "{table}" FOR EACH ROW EXECUTE FUNCTION "PC_RefuseAppendOnlyChange"();""");
            }

            migrationBuilder.Sql($"""CREATE TRIGGER "TR_{table}_NoDelete" BEFORE DELETE ON "{table}" FOR EACH ROW EXECUTE FUNCTION "PC_RefuseAppendOnlyChange"();""");
            migrationBuilder.Sql($"""CREATE TRIGGER "TR_{table}_NoTruncate" BEFORE TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION "PC_RefuseAppendOnlyChange"();""");
        }

        CreateSealedEventTrigger(migrationBuilder);
    }

    public static void DropAll(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        foreach (var table in Tables)
        {
            foreach (var kind in new[] { "NoUpdate", "NoDelete", "NoTruncate" })
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS "TR_{table}_{kind}" ON "{table}";""");
            }
        }

        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "PC_ConsentEvents_NoUpdate"();""");
        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "PC_RefuseAppendOnlyChange"();""");
    }

    /// <summary>
    /// ConsentEvents, as SQLite's CreateSealedEventTrigger: non-personal columns never change; chain columns only on
    /// an unsealed legacy row; personal columns (phone, IP, user agent) only to their erased values, so erasure works
    /// and every other edit still fails.
    /// </summary>
    private static void CreateSealedEventTrigger(MigrationBuilder migrationBuilder)
    {
        string[] fixedColumns = ["Id", "Sequence", "CustomerId", "Purpose", "Action", "OccurredAt", "RecordedAt", "Method", "Actor", "Locale", "Reason", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion"];
        string[] chainColumns = ["PersonalDigest", "PreviousHash", "Hash"];
        string[] personalColumns = ["PhoneE164", "IpAddress", "UserAgent"];
        static string Changed(string[] columns) => string.Join(" OR ", columns.Select(c => $"NEW.\"{c}\" IS DISTINCT FROM OLD.\"{c}\""));
        migrationBuilder.Sql($"""
            CREATE FUNCTION "PC_ConsentEvents_NoUpdate"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {Changed(fixedColumns)}
                    OR (OLD."Hash" IS NOT NULL AND ({Changed(chainColumns)}))
                    OR (({Changed(personalColumns)}) AND NOT (NEW."PhoneE164" = '' AND NEW."IpAddress" IS NULL AND NEW."UserAgent" IS NULL))
                THEN
                    RAISE EXCEPTION 'ConsentEvents is append-only: rows cannot be updated' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END;
            $$;
            """);
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentEvents_NoUpdate" BEFORE UPDATE ON "ConsentEvents" FOR EACH ROW EXECUTE FUNCTION "PC_ConsentEvents_NoUpdate"();""");
    }

    /// <summary>
    /// The reasons encoding version 3 keeps in the hashed bytes (LedgerEncoding.PlainReasons, frozen with that version):
    /// copied here so this migration's SQL never changes.
    /// </summary>
    internal const string PlainReasonsV3 = "'number changed', 'stop all texts', 'account deleted', 'number verified by another customer', 'kept after change', 'withdrawn after change', 'not reconfirmed after change'";

    /// <summary>
    /// ConsentEvents from encoding version 3 (ADR 0027), as SQLite's CreateErasableReasonEventTrigger: erasure may also
    /// blank a typed reason (to null, with the other personal fields) on an event of version 3 or later. Replaces the
    /// function's body; the trigger stays.
    /// </summary>
    public static void UseErasableReasonEventRule(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        string[] fixedColumns = ["Id", "Sequence", "CustomerId", "Purpose", "Action", "OccurredAt", "RecordedAt", "Method", "Actor", "Locale", "ConsentTextId", "TextSha256", "Origin", "EncodingVersion"];
        string[] chainColumns = ["PersonalDigest", "PreviousHash", "Hash"];
        string[] personalColumns = ["PhoneE164", "IpAddress", "UserAgent"];
        static string Changed(string[] columns) => string.Join(" OR ", columns.Select(c => $"NEW.\"{c}\" IS DISTINCT FROM OLD.\"{c}\""));
        const string erasedValues = "NEW.\"PhoneE164\" = '' AND NEW.\"IpAddress\" IS NULL AND NEW.\"UserAgent\" IS NULL";
        migrationBuilder.Sql($"""
            CREATE OR REPLACE FUNCTION "PC_ConsentEvents_NoUpdate"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {Changed(fixedColumns)}
                    OR (OLD."Hash" IS NOT NULL AND ({Changed(chainColumns)}))
                    OR (({Changed(personalColumns)}) AND NOT ({erasedValues}))
                    OR (NEW."Reason" IS DISTINCT FROM OLD."Reason" AND NOT (NEW."Reason" IS NULL AND OLD."EncodingVersion" >= 3
                        AND OLD."Reason" NOT IN ({PlainReasonsV3}) AND {erasedValues}))
                THEN
                    RAISE EXCEPTION 'ConsentEvents is append-only: rows cannot be updated' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END;
            $$;
            """);
    }

    /// <summary>Undoes <see cref="UseErasableReasonEventRule"/>: the rule of the initial migration again.</summary>
    public static void UseSealedEventRule(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_NoUpdate" ON "ConsentEvents";""");
        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "PC_ConsentEvents_NoUpdate"();""");
        CreateSealedEventTrigger(migrationBuilder);
    }

    /// <summary>
    /// ConsentTexts with drafts (ADR 0016), as SQLite's CreateConsentTextVersionTriggers: a published row never changes
    /// and is never removed, a draft only leaves that state by being published, and events may only point at a
    /// published version. Replaces the plain no-update/no-delete pair on ConsentTexts (TRUNCATE stays refused).
    /// </summary>
    public static void UseConsentTextVersionTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        DropPlainConsentTextTriggers(migrationBuilder);
        migrationBuilder.Sql("""
            CREATE FUNCTION "PC_ConsentTexts_Versioned"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    IF OLD."Status" = 'Published' THEN
                        RAISE EXCEPTION 'ConsentTexts: a published version cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN OLD;
                END IF;

                IF OLD."Status" = 'Published' OR NEW."Status" NOT IN ('Draft', 'Published') THEN
                    RAISE EXCEPTION 'ConsentTexts: a published version is immutable; publish a new version instead' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END;
            $$;
            """);
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentTexts_NoUpdate" BEFORE UPDATE ON "ConsentTexts" FOR EACH ROW EXECUTE FUNCTION "PC_ConsentTexts_Versioned"();""");
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentTexts_NoDelete" BEFORE DELETE ON "ConsentTexts" FOR EACH ROW EXECUTE FUNCTION "PC_ConsentTexts_Versioned"();""");
        migrationBuilder.Sql("""
            CREATE FUNCTION "PC_ConsentEvents_PublishedTextOnly"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM "ConsentTexts" WHERE "Id" = NEW."ConsentTextId" AND "Status" = 'Published') THEN
                    RAISE EXCEPTION 'ConsentEvents: consent can only be recorded against a published text version' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END;
            $$;
            """);
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentEvents_PublishedTextOnly" BEFORE INSERT ON "ConsentEvents" FOR EACH ROW EXECUTE FUNCTION "PC_ConsentEvents_PublishedTextOnly"();""");
    }

    /// <summary>Undoes <see cref="UseConsentTextVersionTriggers"/>, leaving ConsentTexts with no update/delete rule until <see cref="RestorePlainConsentTextTriggers"/>.</summary>
    public static void DropConsentTextVersionTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        DropPlainConsentTextTriggers(migrationBuilder);
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_PublishedTextOnly" ON "ConsentEvents";""");
        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "PC_ConsentEvents_PublishedTextOnly"();""");
        migrationBuilder.Sql("""DROP FUNCTION IF EXISTS "PC_ConsentTexts_Versioned"();""");
    }

    public static void RestorePlainConsentTextTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentTexts_NoUpdate" BEFORE UPDATE ON "ConsentTexts" FOR EACH ROW EXECUTE FUNCTION "PC_RefuseAppendOnlyChange"();""");
        migrationBuilder.Sql("""CREATE TRIGGER "TR_ConsentTexts_NoDelete" BEFORE DELETE ON "ConsentTexts" FOR EACH ROW EXECUTE FUNCTION "PC_RefuseAppendOnlyChange"();""");
    }

    private static void DropPlainConsentTextTriggers(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentTexts_NoUpdate" ON "ConsentTexts";""");
        migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentTexts_NoDelete" ON "ConsentTexts";""");
    }
}
