using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Embedding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmbedSiteId",
                table: "Customers",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalSubject",
                table: "Customers",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmbedNonces",
                columns: table => new
                {
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmbedNonces", x => new { x.SiteId, x.Nonce });
                });

            migrationBuilder.CreateTable(
                name: "EmbedSites",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AllowedOriginsText = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PrimaryColor = table.Column<string>(type: "TEXT", maxLength: 7, nullable: true),
                    LogoUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DarkMode = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DisabledAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmbedSites", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_EmbedSiteId_ExternalSubject",
                table: "Customers",
                columns: new[] { "EmbedSiteId", "ExternalSubject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EmbedNonces_ExpiresAt",
                table: "EmbedNonces",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmbedNonces");

            migrationBuilder.DropTable(
                name: "EmbedSites");

            migrationBuilder.DropIndex(
                name: "IX_Customers_EmbedSiteId_ExternalSubject",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "EmbedSiteId",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "ExternalSubject",
                table: "Customers");
        }
    }
}
