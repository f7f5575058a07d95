using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ConsentTextVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Drafts can be edited and discarded: the blanket append-only triggers give way to version-aware ones
            // (created at the end), which still refuse any change to a published version.
            AppendOnlyTriggers.Drop(migrationBuilder, "ConsentTexts");

            migrationBuilder.AddColumn<string>(
                name: "ChangeSummary",
                table: "ConsentTexts",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "ConsentTexts",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Material");

            migrationBuilder.AddColumn<long>(
                name: "ReconfirmBy",
                table: "ConsentTexts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "ConsentTexts",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Published");

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "TextChangeNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsentTextId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TextChangeNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TextChangeNotices_ConsentTexts_ConsentTextId",
                        column: x => x.ConsentTextId,
                        principalTable: "ConsentTexts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TextChangeNotices_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "ConsentTexts",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "ChangeSummary", "Kind", "ReconfirmBy", "Status" },
                values: new object[] { null, "Material", null, "Published" });

            migrationBuilder.UpdateData(
                table: "ConsentTexts",
                keyColumn: "Id",
                keyValue: 2,
                columns: new[] { "ChangeSummary", "Kind", "ReconfirmBy", "Status" },
                values: new object[] { null, "Material", null, "Published" });

            migrationBuilder.CreateIndex(
                name: "IX_TextChangeNotices_ConsentTextId",
                table: "TextChangeNotices",
                column: "ConsentTextId");

            migrationBuilder.CreateIndex(
                name: "IX_TextChangeNotices_CustomerId_ConsentTextId",
                table: "TextChangeNotices",
                columns: new[] { "CustomerId", "ConsentTextId" },
                unique: true);

            AppendOnlyTriggers.CreateConsentTextVersionTriggers(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTriggers.DropConsentTextVersionTriggers(migrationBuilder);

            migrationBuilder.DropTable(
                name: "JobLeases");

            migrationBuilder.DropTable(
                name: "TextChangeNotices");

            migrationBuilder.DropColumn(
                name: "ChangeSummary",
                table: "ConsentTexts");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "ConsentTexts");

            migrationBuilder.DropColumn(
                name: "ReconfirmBy",
                table: "ConsentTexts");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "ConsentTexts");

            AppendOnlyTriggers.Create(migrationBuilder, "ConsentTexts");
        }
    }
}
