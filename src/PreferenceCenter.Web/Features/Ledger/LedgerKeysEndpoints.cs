using System.Text.Json;
using PreferenceCenter.Domain.Ledger;
using PreferenceCenter.Infrastructure.Ledger;

namespace PreferenceCenter.Web.Features.Ledger;

/// <summary>
/// <c>GET /.well-known/consent-ledger-keys</c>: the public keys that sign ledger checkpoints (ADR 37), current and
/// retired, so a customer or a regulator can check a receipt without trusting the operator's say-so.
/// </summary>
internal static class LedgerKeysEndpoints
{
    public const string Path = "/.well-known/consent-ledger-keys";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapLedgerKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (LedgerSigningKeys keys) => TypedResults.Text(JsonSerializer.Serialize(Document(keys), Json), "application/json")).AllowAnonymous();
        return app;
    }

    public static object Document(LedgerSigningKeys keys) => new
    {
        origin = keys.Origin,
        format = "https://c2sp.org/tlog-checkpoint (signed-note signature type 0x02, ECDSA P-256 SHA-256, DER signature)",
        keys = keys.Published.Select(k => new
        {
            name = k.Name,
            keyId = k.KeyId,
            sha256 = k.Sha256,
            algorithm = LedgerPublicKey.Algorithm,
            signatureType = CheckpointNote.EcdsaSignatureType,
            publicKey = Convert.ToBase64String(k.SubjectPublicKeyInfo),
            validFrom = k.ValidFrom is { } from ? LedgerEncoding.Instant(from) : null,
            validUntil = k.ValidUntil is { } until ? LedgerEncoding.Instant(until) : null,
        }),
    };
}
