using System.Net;
using System.Net.Sockets;
using PreferenceCenter.Domain.Webhooks;

namespace PreferenceCenter.Infrastructure.Webhooks;

/// <summary>Thrown when every address a receiver's host resolves to is one the dispatcher may not connect to.</summary>
public sealed class ReceiverAddressBlockedException(string host, AddressRange range)
    : IOException($"{host} resolves only to addresses that are not public ({range}).")
{
    public AddressRange Range { get; } = range;
}

/// <summary>
/// The webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself and connects only
/// to an address that passes <see cref="ReceiverAddress"/>, so the check and the connection use the same address (a
/// name that resolves to a public address when registered and to 169.254.169.254 later is still refused).
/// </summary>
public static class ReceiverConnector
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Create(bool allowPrivateNetworks) =>
        (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken);

    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.TrimStart('[').TrimEnd(']');
        var resolved = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = allowPrivateNetworks ? resolved : Array.FindAll(resolved, ReceiverAddress.IsPublic);
        if (allowed.Length == 0)
        {
            throw new ReceiverAddressBlockedException(host, resolved.Length == 0 ? AddressRange.Reserved : ReceiverAddress.Classify(resolved[0]));
        }

        // Dual-mode where IPv6 exists, so one socket reaches either family.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>
/// What a failed attempt records and the sync page shows: the HTTP status or a short category, never the receiver's
/// body, its reason phrase or a raw exception message (they can carry whatever an internal service answers).
/// </summary>
public static class WebhookFailures
{
    public const string Blocked = "Blocked: private address";
    public const string ConnectionRefused = "Connection refused";
    public const string ConnectionFailed = "Connection failed";
    public const string NameNotFound = "Name not found";
    public const string TimedOut = "Timed out";
    public const string Tls = "TLS error";
    public const string Failed = "Request failed";
    public const string SecretUnreadable = "The signing secret could not be decrypted (were the Data Protection keys replaced?). Register the subscriber again.";

    private static readonly HashSet<string> Known = [Blocked, ConnectionRefused, ConnectionFailed, NameNotFound, TimedOut, Tls, Failed, SecretUnreadable];

    public static string Http(int statusCode) => FormattableString.Invariant($"HTTP {statusCode}");

    public static string Of(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ReceiverAddressBlockedException:
                    return Blocked;
                case System.Security.Authentication.AuthenticationException:
                    return Tls;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return ConnectionRefused;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return NameNotFound;
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return TimedOut;
            }
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => NameNotFound,
            HttpRequestError.SecureConnectionError => Tls,
            HttpRequestError.ConnectionError => ConnectionFailed,
            _ => Failed,
        };
    }

    /// <summary>
    /// A stored error as the page may show it. Deliveries recorded before this rule hold "HTTP 503 Service
    /// Unavailable: &lt;the receiver's body&gt;": only the status is kept of those.
    /// </summary>
    public static string? Shown(string? stored) =>
        stored is null || Known.Contains(stored) ? stored
        : stored.Length >= 8 && stored.StartsWith("HTTP ", StringComparison.Ordinal) && stored.AsSpan(5, 3).IndexOfAnyExceptInRange('0', '9') < 0 ? stored[..8]
        : Failed;
}
