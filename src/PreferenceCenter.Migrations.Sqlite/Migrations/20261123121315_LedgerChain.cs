using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LedgerChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows may change only while unsealed: legacy events get RecordedAt now and their hashes at start-up.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_ConsentEvents_NoUpdate\";");

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "ConsentEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PersonalDigest",
                table: "ConsentEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreviousHash",
                table: "ConsentEvents",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecordedAt",
                table: "ConsentEvents",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "CustomerLedgerKeys",
                columns: table => new
                {
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerLedgerKeys", x => x.CustomerId);
                    table.ForeignKey(
                        name: "FK_CustomerLedgerKeys_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        
            migrationBuilder.Sql("UPDATE \"ConsentEvents\" SET \"RecordedAt\" = \"OccurredAt\" WHERE \"RecordedAt\" = 0;");
            AppendOnlyTriggers.CreateSealOnceUpdateTrigger(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_ConsentEvents_NoUpdate\";");

            migrationBuilder.DropTable(
                name: "CustomerLedgerKeys");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "ConsentEvents");

            migrationBuilder.DropColumn(
                name: "PersonalDigest",
                table: "ConsentEvents");

            migrationBuilder.DropColumn(
                name: "PreviousHash",
                table: "ConsentEvents");

            migrationBuilder.DropColumn(
                name: "RecordedAt",
                table: "ConsentEvents");
        
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_ConsentEvents_NoUpdate" BEFORE UPDATE ON "ConsentEvents"
                BEGIN SELECT RAISE(ABORT, 'ConsentEvents is append-only: rows cannot be updated'); END;
                """);
        }
    }
}
