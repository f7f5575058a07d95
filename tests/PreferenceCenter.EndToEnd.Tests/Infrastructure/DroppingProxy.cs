using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A TCP proxy to the app on <c>localhost:&lt;its own port&gt;</c> whose live connections the test can cut at once: a
/// real network drop for the browser, after which new connections go through again.
/// </summary>
public sealed class DroppingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly int _target;
    private int _accepted;

    public DroppingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        Url = $"http://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _ = AcceptAsync();
    }

    public string Url { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Closes every open connection, both sides, as a dropped network would.</summary>
    public void DropAll()
    {
        foreach (var (client, server) in _pairs)
        {
            client.Client.Close(0);
            server.Client.Close(0);
            _pairs.TryRemove(client, out _);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        DropAll();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target);
            _pairs[client] = server;
            _ = PipeAsync(client, server);
            _ = PipeAsync(server, client);
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The other side or the test closed the connection: that is the point.
        }
    }
}
