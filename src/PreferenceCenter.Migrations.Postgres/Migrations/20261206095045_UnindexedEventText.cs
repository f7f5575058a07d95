using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UnindexedEventText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ConsentEvents_ConsentTextId",
                table: "ConsentEvents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ConsentEvents_ConsentTextId",
                table: "ConsentEvents",
                column: "ConsentTextId");
        }
    }
}
