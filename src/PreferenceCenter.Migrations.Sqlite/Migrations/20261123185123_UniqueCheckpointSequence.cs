using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UniqueCheckpointSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerCheckpoints_Sequence",
                table: "LedgerCheckpoints");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerCheckpoints_Sequence",
                table: "LedgerCheckpoints",
                column: "Sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerCheckpoints_Sequence",
                table: "LedgerCheckpoints");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerCheckpoints_Sequence",
                table: "LedgerCheckpoints",
                column: "Sequence");
        }
    }
}
