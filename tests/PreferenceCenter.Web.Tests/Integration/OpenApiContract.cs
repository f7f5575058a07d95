using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// The app's own /openapi/v1.json as a checker of real answers: is this status documented for the operation, with
/// this content type and these headers, and does the body validate against the documented schema (JSON Schema
/// 2020-12, OpenAPI 3.1's dialect)? Remembers which operation and status pairs were checked.
/// </summary>
internal sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly Dictionary<string, (string Path, string Method, JsonObject Operation)> _operations = [];
    private readonly HashSet<(string OperationId, string Status)> _seen = [];

    private OpenApiContract(JsonObject document)
    {
        _document = document;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation is JsonObject o && o["operationId"]?.GetValue<string>() is { } id)
                {
                    _operations[id] = (path, method, o);
                }
            }
        }
    }

    public string Json => _document.ToJsonString();

    public static async Task<OpenApiContract> LoadAsync(HttpClient client)
    {
        var json = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        return new OpenApiContract(JsonNode.Parse(json)!.AsObject());
    }

    /// <summary>Every operation id with every status its document lists.</summary>
    public IEnumerable<(string OperationId, string Status)> Documented =>
        _operations.SelectMany(o => o.Value.Operation["responses"]!.AsObject().Select(r => (o.Key, r.Key)));

    public IReadOnlyCollection<(string OperationId, string Status)> Seen => _seen;

    public IReadOnlyCollection<string> OperationIds => _operations.Keys;

    /// <summary>Fails unless <paramref name="response"/> is what the document says <paramref name="operationId"/> answers.</summary>
    public async Task CheckAsync(string operationId, HttpResponseMessage response, int expectedStatus)
    {
        Assert.True(_operations.TryGetValue(operationId, out var op), $"No operation {operationId} in the document.");
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, $"{operationId}: expected {expectedStatus}, got {status}: {body}");
        var documented = op.Operation["responses"]![status]?.AsObject();
        Assert.True(documented is not null, $"{operationId} answered {status}, which its document does not list: {body}");
        _seen.Add((operationId, status));

        foreach (var (header, _) in documented["headers"]?.AsObject() ?? [])
        {
            Assert.True(response.Headers.Contains(header) || response.Content.Headers.Contains(header), $"{operationId} {status}: documented header {header} is missing.");
        }

        var content = documented["content"]?.AsObject();
        Assert.True(content is not null, $"{operationId} {status}: the document lists no body.");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is not null && content.ContainsKey(mediaType), $"{operationId} {status}: Content-Type {mediaType}, documented {string.Join(", ", content.Select(c => c.Key))}.");

        var results = SchemaOf(content[mediaType]!["schema"]!).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"{operationId} {status}: the body does not match its schema:\n{Errors(results)}\n{body}");
    }

    /// <summary>A self-contained schema: the operation's schema with the document's components as its $defs.</summary>
    private JsonSchema SchemaOf(JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { Dialect = Dialect.Draft202012, SchemaRegistry = new SchemaRegistry() });
    }

    private static string Errors(EvaluationResults results) => string.Join(
        "\n",
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Value}")));
}
