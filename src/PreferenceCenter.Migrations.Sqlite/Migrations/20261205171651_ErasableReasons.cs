using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ErasableReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Encoding version 3 (ADR 0027): erasure may now also blank a typed reason of a version-3 event.
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_NoUpdate";""");
            AppendOnlyTriggers.CreateErasableReasonEventTrigger(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_NoUpdate";""");
            AppendOnlyTriggers.CreateSealedEventTrigger(migrationBuilder);
        }
    }
}
