using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace PreferenceCenter.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ConsentTextVersionsAndLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreferredLanguage",
                table: "Customers",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeSummary",
                table: "ConsentTexts",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "ConsentTexts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Material");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReconfirmBy",
                table: "ConsentTexts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "ConsentTexts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Published");

            migrationBuilder.CreateTable(
                name: "JobLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLeases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "TextChangeNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsentTextId = table.Column<int>(type: "integer", nullable: false),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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

            migrationBuilder.InsertData(
                table: "ConsentTexts",
                columns: new[] { "Id", "Body", "ChangeSummary", "Kind", "Label", "Language", "PublishedAt", "Purpose", "ReconfirmBy", "Status", "Version" },
                values: new object[,]
                {
                    { 3, "Mensajes solo sobre tu cuenta: códigos de seguridad, avisos de inicio de sesión y novedades de pagos o entregas. Hasta 10 mensajes al mes. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.", null, "Material", "Avisos de la cuenta", "es", new DateTimeOffset(new DateTime(2026, 11, 23, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "AccountAlerts", null, "Published", 1 },
                    { 4, "Ofertas, productos nuevos e invitaciones a eventos por mensaje de texto, como máximo 4 mensajes al mes. Aceptar no es una condición para ninguna compra. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.", null, "Material", "Promociones", "es", new DateTimeOffset(new DateTime(2026, 11, 23, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), "Promotions", null, "Published", 1 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_TextChangeNotices_ConsentTextId",
                table: "TextChangeNotices",
                column: "ConsentTextId");

            migrationBuilder.CreateIndex(
                name: "IX_TextChangeNotices_CustomerId_ConsentTextId",
                table: "TextChangeNotices",
                columns: new[] { "CustomerId", "ConsentTextId" },
                unique: true);

            // Existing versions took the defaults (published, material) above; the triggers now tell drafts from versions.
            AppendOnlyTriggers.UseConsentTextVersionTriggers(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTriggers.DropConsentTextVersionTriggers(migrationBuilder);

            migrationBuilder.DropTable(
                name: "JobLeases");

            migrationBuilder.DropTable(
                name: "TextChangeNotices");

            migrationBuilder.DeleteData(
                table: "ConsentTexts",
                keyColumn: "Id",
                keyValue: 3);

            migrationBuilder.DeleteData(
                table: "ConsentTexts",
                keyColumn: "Id",
                keyValue: 4);

            migrationBuilder.DropColumn(
                name: "PreferredLanguage",
                table: "Customers");

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

            AppendOnlyTriggers.RestorePlainConsentTextTriggers(migrationBuilder);
        }
    }
}
