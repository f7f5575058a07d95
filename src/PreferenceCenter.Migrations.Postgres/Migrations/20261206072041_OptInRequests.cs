using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PreferenceCenter.Migrations.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PhoneE164 = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Source = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedFromIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    KeywordText = table.Column<string>(type: "character varying(480)", maxLength: 480, nullable: true),
                    KeywordMessageSid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RequestText = table.Column<string>(type: "character varying(480)", maxLength: 480, nullable: false),
                    FromE164 = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReplyText = table.Column<string>(type: "character varying(480)", maxLength: 480, nullable: true),
                    ReplyMessageSid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: true),
                    ConsentEventSequence = table.Column<long>(type: "bigint", nullable: true),
                    ExpiryNoticeAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
