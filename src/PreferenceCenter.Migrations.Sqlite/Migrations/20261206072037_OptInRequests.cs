using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OptInRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OptInRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestedFromIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    KeywordText = table.Column<string>(type: "TEXT", maxLength: 480, nullable: true),
                    KeywordMessageSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequestText = table.Column<string>(type: "TEXT", maxLength: 480, nullable: false),
                    FromE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReplyText = table.Column<string>(type: "TEXT", maxLength: 480, nullable: true),
                    ReplyMessageSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConsentEventSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiryNoticeAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OptInRequests", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OptInRequests_CustomerId",
                table: "OptInRequests",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_OptInRequests_PhoneE164_Status",
                table: "OptInRequests",
                columns: new[] { "PhoneE164", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OptInRequests");
        }
    }
}
