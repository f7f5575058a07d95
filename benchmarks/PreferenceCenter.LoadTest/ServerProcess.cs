using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;

namespace PreferenceCenter.LoadTest;

/// <summary>A web app's built dll run as its own process on a loopback port, whose memory can be read from outside.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(string dll, int port, IReadOnlyDictionary<string, string?> environment)
    {
        Port = port;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyDictionary<string, string?> environment, string readyPath)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build with -c Release first (the README command does).");
        }

        var server = new ServerProcess(dll, FreePort(), environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (server._process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} did not start:\n{server.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(server.BaseUrl + readyPath));
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Resident memory after a full blocking GC that the runtime is asked for through its diagnostics port (the way
    /// dotnet-gcdump does), then read again until it stops moving.
    /// </summary>
    public async Task<long> SettledResidentBytesAsync()
    {
        await InduceFullGcAsync();
        var last = ResidentBytes();
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(250);
            var now = ResidentBytes();
            if (Math.Abs(now - last) < last / 500)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS in /proc status.");
    }

    private async Task InduceFullGcAsync()
    {
        // GCHeapCollect (0x800000) makes the runtime run a blocking gen-2 collection when the session starts.
        var client = new DiagnosticsClient(_process.Id);
        using var session = client.StartEventPipeSession(new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, 0x1 | 0x800000), requestRundown: false);
        var drain = session.EventStream.CopyToAsync(Stream.Null);
        await Task.Delay(1000);
        await session.StopAsync(CancellationToken.None);
        await drain;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
