using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Purposes;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>
/// The <c>/openapi/v1.json</c> contract (ADR 33): only <c>/api</c>, the <c>X-Api-Key</c> scheme on every operation,
/// integers as integers, the closed sets as enums and purposes as the catalogue's keys when the document is made.
/// </summary>
internal static class ApiOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string SecuritySchemeName = "ApiKey";
    public const string IdempotencyKey = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>A purpose as callers may send it: any case (<c>promotions</c> works).</summary>
    public const string PurposeInputPattern = "^[A-Za-z][A-Za-z0-9]{1,31}$";

    /// <summary>A purpose as the API writes it: its key exactly.</summary>
    public const string PurposeKeyPattern = "^[A-Z][A-Za-z0-9]{1,31}$";

    /// <summary>The fixed methods, and <c>embedded:&lt;site id&gt;</c> for each embedding site.</summary>
    public const string MethodPattern = "^(web|agent|sms|api|import|system|embedded:[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$";

    /// <summary>Edits one endpoint's operation in the document.</summary>
    public static RouteHandlerBuilder DescribedAs(this RouteHandlerBuilder builder, Action<OpenApiOperation> edit) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            edit(operation);
            return Task.CompletedTask;
        });

    /// <summary>
    /// The web JSON options read numbers from strings too, so the generator types every number
    /// <c>integer | string</c>; the API writes numbers, and documents what it writes.
    /// </summary>
    internal static void IntegersAreIntegers(OpenApiSchema schema)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    /// <summary>Sets a parameter the generator already lists (query or path).</summary>
    public static void Parameter(OpenApiOperation operation, string name, bool required, string description, OpenApiSchema schema)
    {
        var parameter = operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"The operation has no parameter '{name}'.");
        parameter.Required = required;
        parameter.Description = description;
        parameter.Schema = schema;
    }

    /// <summary>The Idempotency-Key request header: required on revoke, optional on import.</summary>
    public static void IdempotencyKeyHeader(OpenApiOperation operation, bool required, string description, string example)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == IdempotencyKey))
        {
            return;
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyKey,
            In = ParameterLocation.Header,
            Required = required,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = MaxIdempotencyKeyLength },
            Example = JsonValue.Create(example),
        });
    }

    public static OpenApiSchema PurposeInput(IEnumerable<Purpose> current) => new()
    {
        Type = JsonSchemaType.String,
        Pattern = PurposeInputPattern,
        Description = PurposeDescription(current) + " Any case is accepted (promotions, Promotions).",
        Examples = [.. current.Select(p => (JsonNode)JsonValue.Create(p.Key))],
    };

    public static string PurposeDescription(IEnumerable<Purpose> current) =>
        $"A purpose key from the catalogue. Admins add purposes, so this is an open set: when this document was made it was {string.Join(", ", current)}.";
}

/// <summary>
/// What the generator cannot know: the key scheme, the tags' words, the closed sets, the catalogue's purposes, which
/// import fields are optional, and the shape of every ProblemDetails.
/// </summary>
internal sealed class ApiDocumentTransformer(PurposeRegistry purposes) : IOpenApiDocumentTransformer
{
    private static readonly string[] Actions = [nameof(ConsentAction.Granted), nameof(ConsentAction.Revoked)];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var current = purposes.Current.All;
        document.Info = new OpenApiInfo
        {
            Title = "PreferenceCenter API",
            Version = "1",
            Description = "Read and check SMS consent, revoke it, import another system's records and follow the change feed. "
                + "Every request carries an integration key in X-Api-Key; every error is application/problem+json (RFC 9457).",
        };

        // The generator names the server as the request's base address, which ends in a slash the paths repeat.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Consents", Description = "Current consent per purpose, the check to ask before every text, and revocation." },
            new() { Name = "Import", Description = "Bulk import of consent records another system collected, all rows or none." },
            new() { Name = "Changes", Description = "Every consent event in ledger order, to keep another system in step." },
            new() { Name = "Opt-in requests", Description = "Double opt-in by text: a till or another system asks, the customer's YES grants." },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiOpenApi.SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.Header,
                Description = "An integration key made by an admin at /admin/integrations. Its scopes decide the endpoints it may call (403 otherwise).",
            },
        };

        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiOpenApi.SecuritySchemeName, document)] = [] }];
            if (operation.Responses is { } responses)
            {
                ResponseHeader(responses, "401", "WWW-Authenticate", "ApiKey header=\"X-Api-Key\"");
                ResponseHeader(responses, "429", "Retry-After", "Seconds to wait before the next request with this key.", JsonSchemaType.Integer);
            }
        }

        var schemas = document.Components.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        ProblemDetails(schemas);
        Schema(schemas, nameof(ApiEvent), s =>
        {
            Set(s, "purpose", PurposeOutput(current));
            Set(s, "action", OneOf(Actions));
            Set(s, "method", new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = ApiOpenApi.MethodPattern,
                Description = "How the change reached us: web, agent, sms, api, import, system, or embedded:<site id> for an embedding site.",
                Examples = [JsonValue.Create("web"), JsonValue.Create("embedded:shop")],
            });
        });
        Schema(schemas, nameof(ApiConsent), s => Set(s, "purpose", PurposeOutput(current)));
        Schema(schemas, nameof(ApiCheck), s => Set(s, "purpose", PurposeOutput(current)));
        Schema(schemas, nameof(ApiRevokeResult), s =>
        {
            Set(s, "purpose", PurposeOutput(current));
            Set(s, "outcome", OneOf(System.Enum.GetNames<ConsentChangeOutcome>()));
        });
        Schema(schemas, nameof(ApiChanges), s => Set(s, "nextCursor", new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[0-9]+$",
            Description = "Pass as 'after' for the next page; the same cursor when there was nothing new.",
        }));
        Schema(schemas, nameof(ApiImportRowResult), s =>
        {
            Set(s, "purpose", PurposeOutput(current));
            Set(s, "action", OneOf(Actions));
            Set(s, "outcome", OneOf(System.Enum.GetNames<ConsentImportRowOutcome>()));
        });
        Schema(schemas, nameof(ApiImportRow), s => ImportRow(s, current));
        Schema(schemas, nameof(ApiOptInRequest), s =>
        {
            Set(s, "purpose", PurposeOutput(current));
            Set(s, "status", OneOf(System.Enum.GetNames<Domain.OptIns.OptInRequestStatus>()));
            Set(s, "language", OneOf(["en", "es"]));
        });
        Schema(schemas, nameof(ApiOptInRequestInput), s =>
        {
            s.Required = new HashSet<string> { "phone", "purpose", "source" };
            Set(s, "phone", new OpenApiSchema { Type = JsonSchemaType.String, Description = "A mobile number in any common format, e.g. +44 7700 900123." });
            Set(s, "purpose", ApiOpenApi.PurposeInput(current));
            Set(s, "source", new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Domain.OptIns.OptInRequest.SourceLength, Description = "Where the number was collected, e.g. store:042.", Examples = [JsonValue.Create("store:042")] });
            Set(s, "language", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Enum = [JsonValue.Create("en"), JsonValue.Create("es")], Description = "The language of the request and the texts that follow; the app's default when left out." });
        });
        return Task.CompletedTask;
    }

    private static void ImportRow(OpenApiSchema row, IReadOnlyList<Purpose> current)
    {
        // What ConsentImportRules requires; the rest may be left out (or null). One of consentTextId and
        // consentTextVersion is needed: said in words, since anyOf-of-required confuses client generators.
        row.Required = new HashSet<string> { "phone", "purpose", "action", "occurredAt", "source" };
        row.Description = "One consent decision another system recorded. Give the wording shown as consentTextId, or as consentTextVersion (+ language).";
        Set(row, "phone", new OpenApiSchema { Type = JsonSchemaType.String, Description = "A mobile number in any common format, e.g. +44 7700 900123." });
        Set(row, "purpose", ApiOpenApi.PurposeInput(current));
        Set(row, "action", OneOf(Actions, "Any case is accepted."));
        Set(row, "occurredAt", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "When the customer decided: an ISO 8601 instant with its offset, not in the future." });
        Set(row, "consentTextId", new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "The consent text shown (its id)." });
        Set(row, "consentTextVersion", new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "The consent text shown, by version of the purpose's text in 'language'." });
        Set(row, "language", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The language of the text shown; en when left out.", Examples = [JsonValue.Create("en"), JsonValue.Create("es")] });
        Set(row, "source", new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ConsentImportRules.MaxSourceLength, Description = "Where the other system collected the consent." });
        Set(row, "ipAddress", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The customer's IPv4 or IPv6 address, when known." });
        Set(row, "userAgent", new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, MaxLength = ConsentImportRules.MaxUserAgentLength, Description = "The customer's browser, when known." });
    }

    /// <summary>RFC 9457 as this API writes it: always a title and the status; traceId names the request in our logs.</summary>
    private static void ProblemDetails(IDictionary<string, IOpenApiSchema> schemas) => Schema(schemas, "ProblemDetails", s =>
    {
        s.Required = new HashSet<string> { "title", "status" };
        Set(s, "title", new OpenApiSchema { Type = JsonSchemaType.String });
        Set(s, "status", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" });
        Set(s, "traceId", new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when asking about this answer." });
    });

    private static OpenApiSchema PurposeOutput(IReadOnlyList<Purpose> current) => new()
    {
        Type = JsonSchemaType.String,
        Pattern = ApiOpenApi.PurposeKeyPattern,
        Description = ApiOpenApi.PurposeDescription(current),
        Examples = [.. current.Select(p => (JsonNode)JsonValue.Create(p.Key))],
    };

    private static OpenApiSchema OneOf(IEnumerable<string> values, string? description = null) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
        Description = description,
    };

    private static void Schema(IDictionary<string, IOpenApiSchema> schemas, string name, Action<OpenApiSchema> edit)
    {
        if (schemas.TryGetValue(name, out var schema) && schema is OpenApiSchema concrete)
        {
            edit(concrete);
        }
    }

    private static void Set(OpenApiSchema schema, string property, OpenApiSchema value)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties[property] = value;
    }

    private static void ResponseHeader(OpenApiResponses responses, string status, string name, string description, JsonSchemaType type = JsonSchemaType.String)
    {
        if (responses.TryGetValue(status, out var response) && response is OpenApiResponse concrete)
        {
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
        }
    }
}
