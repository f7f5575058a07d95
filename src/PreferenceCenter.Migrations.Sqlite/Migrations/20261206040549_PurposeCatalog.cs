using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace PreferenceCenter.Migrations.Sqlite.Migrations
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
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    NameEn = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    NameEs = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PhraseEn = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    PhraseEs = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    FrequencyEn = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FrequencyEs = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LapsesWhenNotReconfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    TextKind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    SendingNumber = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    { "AccountAlerts", 621355968000000000L, "up to 10 msgs/month", "hasta 10 msjs/mes", false, "Account alerts", "Avisos de la cuenta", 1, "account alert texts", "los avisos de tu cuenta", null, "AccountAlert" },
                    { "Promotions", 621355968000000000L, "up to 4 msgs/month", "hasta 4 msjs/mes", true, "Promotions", "Promociones", 2, "promotional texts", "los mensajes promocionales", null, "Promotion" }
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
