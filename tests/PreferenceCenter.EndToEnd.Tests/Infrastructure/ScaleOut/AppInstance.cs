using System.Diagnostics;
using System.Text;
using PreferenceCenter.Testing;

namespace PreferenceCenter.EndToEnd.Tests.Infrastructure.ScaleOut;

/// <summary>
/// One instance of the built app as its own process (<c>dotnet PreferenceCenter.Web.dll</c>) on a loopback port, with
/// its own data folder and the shared database's settings: what a load balancer has behind it. It can be killed hard.
/// </summary>
public sealed class AppInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempDataFolder _data = new("scale-out-instance");

    private AppInstance(string name, int port, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        Port = port;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PreferenceCenter.Web.dll"));

        // Development: /dev/sms is where the test reads codes, and static web assets come from the build output.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = Url;
        start.Environment["Storage__DataFolder"] = _data.Path;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>How nginx names it in <c>$upstream_addr</c>.</summary>
    public string UpstreamAddress => $"127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

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

    public static async Task<AppInstance> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var instance = new AppInstance(name, DroppingProxy.FreePort(), settings);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (instance.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Instance {name} did not become ready:\n{instance.Output}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri(instance.Url + "/health/ready"));
                if (ready.IsSuccessStatusCode)
                {
                    return instance;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, circuits and connections simply vanish, as when a host dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        _data.Dispose();
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
