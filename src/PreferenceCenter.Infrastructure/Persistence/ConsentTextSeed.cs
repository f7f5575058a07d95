using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>Version 1 of each purpose's wording, in English and Spanish. New wording is a new row, never an edit of these.</summary>
internal static class ConsentTextSeed
{
    private static readonly DateTimeOffset Published = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    // The Spanish versions say the same as the English ones, in plain words; published when Spanish pages went live.
    private static readonly DateTimeOffset SpanishPublished = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public static ConsentText[] All { get; } =
    [
        ConsentText.Create(
            1,
            Purpose.AccountAlerts,
            "en",
            1,
            "Account alerts",
            "Texts about your account only: security codes, sign-in warnings, and payment or delivery updates. Up to 10 messages a month. Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
            Published),
        ConsentText.Create(
            2,
            Purpose.Promotions,
            "en",
            1,
            "Promotions",
            "Offers, new products and event invitations by text, at most 4 messages a month. Agreeing is not a condition of any purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.",
            Published),
        ConsentText.Create(
            3,
            Purpose.AccountAlerts,
            "es",
            1,
            "Avisos de la cuenta",
            "Mensajes solo sobre tu cuenta: códigos de seguridad, avisos de inicio de sesión y novedades de pagos o entregas. Hasta 10 mensajes al mes. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.",
            SpanishPublished),
        ConsentText.Create(
            4,
            Purpose.Promotions,
            "es",
            1,
            "Promociones",
            "Ofertas, productos nuevos e invitaciones a eventos por mensaje de texto, como máximo 4 mensajes al mes. Aceptar no es una condición para ninguna compra. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja o HELP para obtener ayuda.",
            SpanishPublished),
    ];
}
