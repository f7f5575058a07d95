using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace PreferenceCenter.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SpanishAndPreferredLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreferredLanguage",
                table: "Customers",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            // Kind and Status (added by ConsentTextVersions, which runs first) take their defaults: Material, Published.
            migrationBuilder.InsertData(
                table: "ConsentTexts",
                columns: new[] { "Id", "Body", "Label", "Language", "PublishedAt", "Purpose", "Version" },
                values: new object[,]
                {
                    { 3, "Mensajes solo sobre tu cuenta: códigos de seguridad, avisos de inicio de sesión y novedades de pagos o entregas. Hasta 10 mensajes al mes. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.", "Avisos de la cuenta", "es", 639309888000000000L, "AccountAlerts", 1 },
                    { 4, "Ofertas, productos nuevos e invitaciones a eventos por mensaje de texto, como máximo 4 mensajes al mes. Aceptar no es una condición para ninguna compra. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.", "Promociones", "es", 639309888000000000L, "Promotions", 1 }
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
