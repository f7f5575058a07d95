using Microsoft.EntityFrameworkCore.Migrations;

namespace PreferenceCenter.Migrations.Postgres;

/// <summary>
/// What the generated initial migration cannot say by itself. A regenerated initial migration (README → "PostgreSQL
/// migrations") must end its Up with <see cref="CompleteInitial"/> and begin its Down with <see cref="UndoInitial"/>;
/// the append-only tests and the consent-text tests fail on PostgreSQL without them.
/// </summary>
internal static class PostgresSchema
{
    public static void CompleteInitial(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        AppendOnlyTriggers.CreateAll(migrationBuilder);

        // Seeded rows carry their ids; an identity column does not move past them by itself, so the first
        // app-inserted text would collide with id 1.
        migrationBuilder.Sql("""SELECT setval(pg_get_serial_sequence('"ConsentTexts"', 'Id'), (SELECT MAX("Id") FROM "ConsentTexts"));""");
    }

    public static void UndoInitial(MigrationBuilder migrationBuilder) => AppendOnlyTriggers.DropAll(migrationBuilder);
}
