using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PendingConfirmations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PendingConfirmations",
                columns: table => new
                {
                    GrantSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    ToE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConsentTextId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingConfirmations", x => x.GrantSequence);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingConfirmations");
        }
    }
}
