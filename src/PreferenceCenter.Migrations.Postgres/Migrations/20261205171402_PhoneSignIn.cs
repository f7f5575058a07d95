using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PhoneSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "CustomerId",
                table: "VerificationChallenges",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "FlowId",
                table: "VerificationChallenges",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SignInLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TokenHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    PhoneE164 = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SignInLinks_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_FlowId_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "FlowId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInLinks_CustomerId",
                table: "SignInLinks",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_SignInLinks_PhoneE164_UsedAt",
                table: "SignInLinks",
                columns: new[] { "PhoneE164", "UsedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInLinks_TokenHash",
                table: "SignInLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SignInLinks");

            migrationBuilder.DropIndex(
                name: "IX_VerificationChallenges_FlowId_CreatedAt",
                table: "VerificationChallenges");

            migrationBuilder.DropColumn(
                name: "FlowId",
                table: "VerificationChallenges");

            migrationBuilder.AlterColumn<Guid>(
                name: "CustomerId",
                table: "VerificationChallenges",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
