using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Integrations;
using PreferenceCenter.Infrastructure.Consents;
using PreferenceCenter.Infrastructure.Integrations;

namespace PreferenceCenter.Benchmarks.Api;

/// <summary>
/// Issue #8: requests/second of <c>GET /api/v1/consents/check</c> (key, scope, rate limiter, phone parsing, consent
/// and STOP lookup, call log) against a minimal API endpoint that returns a constant, in the same host, pipeline
/// and run, over real loopback sockets. One operation = one request; each invocation sends
/// <see cref="Requests"/> of them from <see cref="Concurrency"/> concurrent clients. Goal: ratio ≤ 2 (≥ 0.5× rps).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class CheckEndpointBenchmarks
{
    public const int Concurrency = 8;
    public const int Requests = 256;
    private const int WarmUpRounds = 40;

    private const string Phone = "+447700900123";

    private BenchmarkAppServer _server = null!;
    private HttpClient _client = null!;
    private Uri _check = null!;
    private Uri _constant = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = new BenchmarkAppServer();
        var services = _server.Services;
        var key = (await services.GetRequiredService<IntegrationKeys>().CreateAsync("Benchmark sender", [ApiScopes.ConsentsRead])).Key;

        // A customer with a granted consent, so the check walks its whole path and answers yes.
        var importer = services.GetRequiredService<ConsentImporter>();
        var row = new ConsentImportInput(Phone, nameof(Purpose.Promotions), "Granted", "2025-03-01T10:00:00Z", 2, null, null, "benchmark", null, null);
        var batch = await importer.ReadAsync(new[] { row }.ToAsyncEnumerable(), "GB", 1);
        if (!(await importer.ImportAsync(batch, "integration:benchmark")).Saved)
        {
            throw new InvalidOperationException("Seeding the benchmark customer failed.");
        }

        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        _client.DefaultRequestHeaders.Add("X-Api-Key", key);
        _check = new Uri("api/v1/consents/check?phone=07700%20900123&purpose=Promotions", UriKind.Relative);
        _constant = new Uri(BenchmarkAppServer.ConstantPath.TrimStart('/'), UriKind.Relative);

        var answer = await _client.GetStringAsync(_check);
        if (!answer.Contains("\"allowed\":true", StringComparison.Ordinal) || await _client.GetStringAsync(_constant) != "ok")
        {
            throw new InvalidOperationException($"Unexpected answers in setup: {answer}");
        }

        // Each case gets a fresh server: both paths are warmed alike (JIT tiers, pools) before either is measured.
        for (var i = 0; i < WarmUpRounds; i++)
        {
            await SendAsync(_constant);
            await SendAsync(_check);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task ConstantEndpoint() => SendAsync(_constant);

    [Benchmark(OperationsPerInvoke = Requests)]
    public Task ConsentCheck() => SendAsync(_check);

    private Task SendAsync(Uri uri) => Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
    {
        for (var i = 0; i < Requests / Concurrency; i++)
        {
            using var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseContentRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // A 429 or 401 would be fast for the wrong reason.
                throw new InvalidOperationException($"{uri} answered {(int)response.StatusCode}");
            }
        }
    })));

    /// <summary>
    /// In the benchmark process itself: the app is hosted through WebApplicationFactory, which needs the app's deps
    /// file and content root that this project's build puts next to it.
    /// </summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            // Server GC, as the web app runs (the project sets it for this process).
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(12).WithIterationCount(15).WithGcServer(true).WithToolchain(InProcessEmitToolchain.Instance));

            // Neighbours on a shared machine cause outliers; the median shows whether the mean was pulled by them.
            AddColumn(StatisticColumn.Median);
        }
    }
}
