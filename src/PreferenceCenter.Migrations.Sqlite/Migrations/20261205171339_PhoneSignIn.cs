using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PhoneSignIn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Codes live ten minutes, so the table is recreated rather than altered: SQLite can only make a column
            // nullable by rebuilding the table with foreign keys switched off, which cannot run inside the migration's
            // transaction. A code in flight during the upgrade is lost; the customer asks for another.
            migrationBuilder.DropTable(name: "VerificationChallenges");

            migrationBuilder.CreateTable(
                name: "VerificationChallenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FlowId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RequestIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerificationChallenges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VerificationChallenges_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_CustomerId_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_PhoneE164_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "PhoneE164", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_RequestIp_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "RequestIp", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_FlowId_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "FlowId", "CreatedAt" });

            migrationBuilder.CreateTable(
                name: "SignInLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TokenHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
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

            migrationBuilder.DropTable(name: "VerificationChallenges");

            migrationBuilder.CreateTable(
                name: "VerificationChallenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    VerifiedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RequestIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerificationChallenges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VerificationChallenges_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_CustomerId_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_PhoneE164_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "PhoneE164", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_VerificationChallenges_RequestIp_CreatedAt",
                table: "VerificationChallenges",
                columns: new[] { "RequestIp", "CreatedAt" });
        }
    }
}
