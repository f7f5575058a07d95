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
}
