using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ErasableReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Encoding version 3 (ADR 0027): erasure may now also blank a typed reason of a version-3 event.
            AppendOnlyTriggers.UseErasableReasonEventRule(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTriggers.UseSealedEventRule(migrationBuilder);
        }
    }
}
