using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SmsChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestIp",
                table: "VerificationChallenges",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InboundSms",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FromE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ToE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundSms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SmsSuppressions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LiftedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SmsSuppressions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReviewItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InboundSmsId = table.Column<long>(type: "INTEGER", nullable: false),
                    FromE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewItems_InboundSms_InboundSmsId",
                        column: x => x.InboundSmsId,
                        principalTable: "InboundSms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_RequestIp_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "RequestIp", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundSms_FromE164_ReceivedAt",
                table: "InboundSms",
                columns: new[] { "FromE164", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundSms_MessageSid",
                table: "InboundSms",
                column: "MessageSid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReviewItems_InboundSmsId",
                table: "ReviewItems",
                column: "InboundSmsId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewItems_ResolvedAt_CreatedAt",
                table: "ReviewItems",
                columns: new[] { "ResolvedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SmsSuppressions_PhoneE164_Purpose_LiftedAt",
                table: "SmsSuppressions",
                columns: new[] { "PhoneE164", "Purpose", "LiftedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReviewItems");

            migrationBuilder.DropTable(
                name: "SmsSuppressions");

            migrationBuilder.DropTable(
                name: "InboundSms");

            migrationBuilder.DropIndex(
                name: "IX_VerificationChallenges_RequestIp_CreatedAt",
                table: "VerificationChallenges");

            migrationBuilder.DropColumn(
                name: "RequestIp",
                table: "VerificationChallenges");
        }
    }
}
