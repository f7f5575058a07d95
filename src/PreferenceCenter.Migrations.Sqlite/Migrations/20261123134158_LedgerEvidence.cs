using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EncodingVersion",
                table: "ConsentEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "Origin",
                table: "ConsentEvents",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextSha256",
                table: "ConsentEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConsentTextImpressions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConsentTextId = table.Column<int>(type: "INTEGER", nullable: false),
                    ShownAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentTextImpressions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConsentTextImpressions_ConsentTexts_ConsentTextId",
                        column: x => x.ConsentTextId,
                        principalTable: "ConsentTexts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsentTextImpressions_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentTextImpressions_ConsentTextId",
                table: "ConsentTextImpressions",
                column: "ConsentTextId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentTextImpressions_CustomerId_ConsentTextId",
                table: "ConsentTextImpressions",
                columns: new[] { "CustomerId", "ConsentTextId" },
                unique: true);

            AppendOnlyTriggers.Create(migrationBuilder, "ConsentTextImpressions");

            // The new columns are immutable too, and erasure may now blank personal fields (and nothing else).
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_NoUpdate";""");
            AppendOnlyTriggers.CreateSealedEventTrigger(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_ConsentEvents_NoUpdate";""");
            AppendOnlyTriggers.CreateSealOnceUpdateTrigger(migrationBuilder);
            AppendOnlyTriggers.Drop(migrationBuilder, "ConsentTextImpressions");
            migrationBuilder.DropTable(
                name: "ConsentTextImpressions");

            migrationBuilder.DropColumn(
                name: "EncodingVersion",
                table: "ConsentEvents");

            migrationBuilder.DropColumn(
                name: "Origin",
                table: "ConsentEvents");

            migrationBuilder.DropColumn(
                name: "TextSha256",
                table: "ConsentEvents");
        }
    }
}
