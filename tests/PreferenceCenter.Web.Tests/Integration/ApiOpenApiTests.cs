using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using PreferenceCenter.Domain.Integrations;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The /openapi/v1.json document itself (ADR 33): what it lists, Redocly's lint, and a client generated from it.</summary>
public sealed class ApiOpenApiTests : IAsyncLifetime
{
    /// <summary>Set by .ci/test.sh to the Redocly CLI it installed; else <c>redocly</c> on PATH.</summary>
    public const string RedoclyVariable = "PREFERENCECENTER_REDOCLY";

    private readonly PreferenceCenterAppFactory _app = new("Development");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task OpenApiDocument_ListsOnlyTheApi_WithTheKeySchemeOnEveryOperationAndTheIdempotencyKeyWhereUsed()
    {
        using var client = _app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme["type"]!.GetValue<string>(), scheme["in"]!.GetValue<string>(), scheme["name"]!.GetValue<string>()));
        var paths = document["paths"]!.AsObject();
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p.Key, StringComparison.Ordinal));
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => o.Value!)).ToList();
        Assert.Equal(8, operations.Count);
        Assert.All(operations, o => Assert.NotNull(o["security"]![0]!["ApiKey"]));
        Assert.True(IdempotencyKey(paths["/api/v1/customers/{id}/consents/{purpose}/revoke"]!["post"]!)!["required"]!.GetValue<bool>());
        Assert.False(IdempotencyKey(paths["/api/v1/import"]!["post"]!)!["required"]?.GetValue<bool>() ?? false);
        Assert.Null(IdempotencyKey(paths["/api/v1/changes"]!["get"]!));
        Assert.True(IdempotencyKey(paths["/api/v1/opt-in-requests"]!["post"]!)!["required"]!.GetValue<bool>());

        var schemas = document["components"]!["schemas"]!;
        Assert.Equal("integer", schemas["ApiEvent"]!["properties"]!["sequence"]!["type"]!.GetValue<string>());
        Assert.Equal(["Granted", "Revoked"], schemas["ApiEvent"]!["properties"]!["action"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["AccountAlerts", "Promotions"], schemas["ApiEvent"]!["properties"]!["purpose"]!["examples"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["action", "occurredAt", "phone", "purpose", "source"], schemas["ApiImportRow"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        Assert.Equal(["phone", "purpose", "source"], schemas["ApiOptInRequestInput"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()).Order());
        Assert.Equal(["Open", "Confirmed", "Expired", "Cancelled"], schemas["ApiOptInRequest"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenApiDocument_PassesRedoclyLint_WithTheRepositoryRuleset()
    {
        var redocly = FindRedocly();
        using var client = _app.CreateClient();
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var folder = Directory.CreateTempSubdirectory("preferencecenter-openapi-");
        try
        {
            var file = Path.Combine(folder.FullName, "v1.json");
            await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);

            var (code, output, errors) = await RunAsync(redocly, folder.FullName, "lint", file, "--config", Path.Combine(RepositoryRoot(), "redocly.yaml"), "--format", "json");

            var start = output.IndexOf('{', StringComparison.Ordinal);
            Assert.True(start >= 0, $"redocly lint printed no report (exit {code}):\n{output}\n{errors}");
            using var report = JsonDocument.Parse(output[start..]);
            var totals = report.RootElement.GetProperty("totals");
            var problems = string.Join("\n", report.RootElement.GetProperty("problems").EnumerateArray().Select(p =>
                $"  {p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}"));
            Assert.True(
                code == 0 && totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0,
                $"redocly lint found problems in /openapi/v1.json (exit {code}):\n{problems}\n{errors}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task GeneratedClient_CompilesAndCallsEveryKindOfAnswer_WhenMadeFromTheDocument()
    {
        using var anonymous = _app.CreateClient();
        var json = await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var document = await NSwag.OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "PreferenceCenterClient",
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            UseBaseUrl = false,
        };
        settings.CSharpGeneratorSettings.Namespace = "Generated";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var code = new CSharpClientGenerator(document, settings).GenerateFile();

        var assembly = Compile(code);
        var customer = await CustomersWithConsent.CreateAsync(_app, "+447700900590");
        using var http = await ApiClients.WithNewKeyAsync(_app, [.. ApiScopes.All]);
        var generated = Activator.CreateInstance(assembly.GetType("Generated.PreferenceCenterClient")!, http)!;

        var check = await CallAsync(generated, "CheckConsentAsync", ("phone", "07700900590"), ("purpose", "promotions"));
        var revoked = await CallAsync(generated, "RevokeConsentAsync", ("id", customer), ("purpose", "Promotions"), ("idempotencyKey", "generated-1"));
        var changes = await CallAsync(generated, "GetChangesAsync", ("after", "0"), ("limit", 1000));
        var unknown = await Assert.ThrowsAnyAsync<Exception>(() => CallAsync(generated, "GetCustomerConsentsAsync", ("id", Guid.NewGuid())));
        var noKey = await Assert.ThrowsAnyAsync<Exception>(() => CallAsync(generated, "RevokeConsentAsync", ("id", customer), ("purpose", "Promotions"), ("idempotencyKey", null)));

        Assert.Equal(true, Property(check, "Allowed"));
        Assert.Equal("Changed", Property(revoked, "Outcome")!.ToString());
        Assert.Contains((IEnumerable<object>)Property(changes, "Events")!, e => (Guid)Property(e, "CustomerId")! == customer && Property(e, "Action")!.ToString() == "Revoked");
        Assert.Equal(404, Property(unknown, "StatusCode"));
        Assert.Equal("No such customer", Property(Property(unknown, "Result"), "Title"));
        // The client refuses to send a revoke without the key: the document marks it required.
        Assert.IsType<ArgumentNullException>(noKey);
        Assert.Contains("\"Idempotency-Key\"", code, StringComparison.Ordinal);
    }

    private static JsonNode? IdempotencyKey(JsonNode operation) =>
        operation["parameters"]?.AsArray().FirstOrDefault(p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");

    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "GeneratedPreferenceCenterClient",
            [CSharpSyntaxTree.ParseText(code, cancellationToken: TestContext.Current.CancellationToken)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }

    /// <summary>Calls a generated method by its parameters' names (as NSwag spells them, without case or punctuation).</summary>
    private static async Task<object?> CallAsync(object client, string name, params (string Name, object? Value)[] arguments)
    {
        var method = client.GetType().GetMethods().Single(m => m.Name == name && m.GetParameters().LastOrDefault()?.ParameterType == typeof(CancellationToken));
        var values = method.GetParameters().Select(p =>
            p.ParameterType == typeof(CancellationToken) ? TestContext.Current.CancellationToken
            : arguments.Where(a => Simple(a.Name) == Simple(p.Name!)).Select(a => a.Value).DefaultIfEmpty(null).First()).ToArray();
        var task = (Task)method.Invoke(client, values)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private static string Simple(string name) => new string([.. name.Where(char.IsLetterOrDigit)]).ToUpperInvariant();

    private static object? Property(object? value, string name) => value?.GetType().GetProperty(name)?.GetValue(value);

    private static string FindRedocly()
    {
        var configured = Environment.GetEnvironmentVariable(RedoclyVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            Assert.True(File.Exists(configured), $"{RedoclyVariable} is '{configured}', which does not exist. Run .ci/test.sh (it installs Redocly CLI) or fix the variable.");
            return configured;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "redocly")).FirstOrDefault(File.Exists);
        Assert.True(onPath is not null, $"Redocly CLI was not found: set {RedoclyVariable} to its 'redocly' executable or put it on PATH. .ci/test.sh installs the pinned version from npm.");
        return onPath;
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string executable, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry or update check from a test run.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "redocly.yaml")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("redocly.yaml not found above " + AppContext.BaseDirectory);
    }
}
