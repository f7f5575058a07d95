using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace PreferenceCenter.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PurposeCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Purposes",
                columns: table => new
                {
                    Purpose = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    NameEn = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    NameEs = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PhraseEn = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    PhraseEs = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    FrequencyEn = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FrequencyEs = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LapsesWhenNotReconfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TextKind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    SendingNumber = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Purposes", x => x.Purpose);
                });

            migrationBuilder.InsertData(
                table: "Purposes",
                columns: new[] { "Purpose", "CreatedAt", "FrequencyEn", "FrequencyEs", "LapsesWhenNotReconfirmed", "NameEn", "NameEs", "Order", "PhraseEn", "PhraseEs", "SendingNumber", "TextKind" },
                values: new object[,]
                {
                    { "AccountAlerts", new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "up to 10 msgs/month", "hasta 10 msjs/mes", false, "Account alerts", "Avisos de la cuenta", 1, "account alert texts", "los avisos de tu cuenta", null, "AccountAlert" },
                    { "Promotions", new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "up to 4 msgs/month", "hasta 4 msjs/mes", true, "Promotions", "Promociones", 2, "promotional texts", "los mensajes promocionales", null, "Promotion" }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Purposes");
        }
    }
}
