using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerIsTheWebhookOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WebhookFanOut",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Through = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookFanOut", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "WebhookFanOut",
                columns: new[] { "Id", "Through" },
                values: new object[] { 1, 0L });

            // Events still waiting in the old outbox are the first the cursor fans out; with none, every event is done.
            migrationBuilder.Sql("""
                UPDATE "WebhookFanOut" SET "Through" = COALESCE(
                    (SELECT MIN("Sequence") - 1 FROM "WebhookOutbox"),
                    (SELECT MAX("Sequence") FROM "ConsentEvents"),
                    0)
                """);

            migrationBuilder.DropTable(
                name: "WebhookOutbox");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WebhookFanOut");

            migrationBuilder.CreateTable(
                name: "WebhookOutbox",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookOutbox", x => x.Sequence);
                });
        }
    }
}
