using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>
/// The only way purpose texts leave the app: each send first checks current consent and the suppression list for
/// (number, purpose). Verification codes go straight to <c>ISmsSender</c>; keyword replies are queued and sent by <see cref="TextDispatcher"/> (ADR 0030).
/// </summary>
public interface ISmsGateway
{
    Task<bool> CanSendAsync(string phoneE164, Purpose purpose, CancellationToken cancellationToken = default);

    /// <summary>Sends from the purpose's number when allowed; returns false (logged and counted) when refused.</summary>
    Task<bool> SendAsync(string phoneE164, Purpose purpose, string body, CancellationToken cancellationToken = default);
}
