using System.Diagnostics;
using System.Net.Sockets;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure.ScaleOut;

/// <summary>
/// The operating system's nginx (installed by the README's test command when missing; <c>PREFERENCECENTER_NGINX</c>
/// overrides <c>/usr/sbin/nginx</c>) running the repository's sample config, docs/deploy/nginx/preferencecenter.conf,
/// with only its listen port and upstream servers replaced.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private const string SampleListen = "listen 8080;";
    private static readonly string[] SampleServers = ["server 127.0.0.1:5001 ", "server 127.0.0.1:5002 "];
    private const string SampleCookieHeader = "add_header Set-Cookie \"pc_affinity=$pc_affinity; Path=/; HttpOnly; SameSite=Lax\" always;";

    private readonly Process _process;
    private readonly string _folder;

    private NginxProxy(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Response header the test adds so it can tell which instance answered.</summary>
    public const string UpstreamHeader = "x-test-upstream";

    public static string BinaryPath => Environment.GetEnvironmentVariable("PREFERENCECENTER_NGINX") ?? "/usr/sbin/nginx";

    public string ErrorLog => File.Exists(Path.Combine(_folder, "error.log")) ? File.ReadAllText(Path.Combine(_folder, "error.log")) : string.Empty;

    public static async Task<NginxProxy> StartAsync(IReadOnlyList<AppInstance> upstreams)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"nginx not found at {BinaryPath}. Run the README's test command (it installs the OS package) or set PREFERENCECENTER_NGINX.");
        }

        var folder = Directory.CreateTempSubdirectory("preferencecenter-nginx-").FullName;
        var port = DroppingProxy.FreePort();
        File.WriteAllText(Path.Combine(folder, "preferencecenter.conf"), SiteConfig(port, upstreams));
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            {{(Environment.UserName == "root" ? "user root;" : string.Empty)}}
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/preferencecenter.conf;
            }
            """);

        var start = new ProcessStartInfo(BinaryPath) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start nginx.");
        var proxy = new NginxProxy(process, folder, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var errors = process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty;
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start: {errors}");
            }

            await Task.Delay(50);
        }

        return proxy;
    }

    /// <summary>The sample, pointed at this test's ports, plus a header naming the instance that answered.</summary>
    private static string SiteConfig(int port, IReadOnlyList<AppInstance> upstreams)
    {
        var root = FindRepositoryRoot();
        var sample = File.ReadAllText(Path.Combine(root, "docs", "deploy", "nginx", "preferencecenter.conf"));
        Require(sample, SampleListen);
        Require(sample, SampleCookieHeader);
        var config = sample.Replace(SampleListen, $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace(SampleCookieHeader, $"{SampleCookieHeader}\n        add_header {UpstreamHeader} $upstream_addr always;", StringComparison.Ordinal);
        for (var i = 0; i < SampleServers.Length; i++)
        {
            Require(sample, SampleServers[i]);
            config = config.Replace(SampleServers[i], i < upstreams.Count ? $"server {upstreams[i].UpstreamAddress} " : "# ", StringComparison.Ordinal);
        }

        return config;
    }

    private static void Require(string sample, string line)
    {
        if (!sample.Contains(line, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"docs/deploy/nginx/preferencecenter.conf no longer contains `{line}`: update the sample and this harness together.");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PreferenceCenter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (PreferenceCenter.sln) was not found above the test's folder.");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // nginx's workers may have created temp folders we cannot remove; harmless.
        }
    }
}
