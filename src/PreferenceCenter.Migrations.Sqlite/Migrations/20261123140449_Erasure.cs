using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Erasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SmsSuppressions_PhoneE164_Purpose_LiftedAt",
                table: "SmsSuppressions");

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "SmsSuppressions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "ErasedAt",
                table: "Customers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SmsSuppressions_PhoneKey_Purpose_LiftedAt",
                table: "SmsSuppressions",
                columns: new[] { "PhoneKey", "Purpose", "LiftedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SmsSuppressions_PhoneKey_Purpose_LiftedAt",
                table: "SmsSuppressions");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "SmsSuppressions");

            migrationBuilder.DropColumn(
                name: "ErasedAt",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_SmsSuppressions_PhoneE164_Purpose_LiftedAt",
                table: "SmsSuppressions",
                columns: new[] { "PhoneE164", "Purpose", "LiftedAt" });
        }
    }
}
