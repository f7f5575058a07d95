using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace PreferenceCenter.Web.Features.Api;

/// <summary>Request and response examples for <c>POST /api/v1/import</c> in the OpenAPI document.</summary>
internal static class ApiImportExamples
{
    public static Task AddAsync(OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Example(operation.RequestBody?.Content, Request);
        if (operation.Responses is { } responses)
        {
            Example(responses.TryGetValue("200", out var ok) ? ok.Content : null, Accepted);
            Example(responses.TryGetValue("422", out var rejected) ? rejected.Content : null, Rejected);
        }

        return Task.CompletedTask;
    }

    private static void Example(IDictionary<string, OpenApiMediaType>? content, string json)
    {
        foreach (var media in content?.Values ?? [])
        {
            media.Example = JsonNode.Parse(json);
        }
    }

    private const string Request = """
        [
          { "phone": "07700 900123", "purpose": "Promotions", "action": "Granted", "occurredAt": "2025-03-01T10:15:00Z",
            "consentTextId": 2, "source": "CRM signup form", "ipAddress": "203.0.113.7", "userAgent": "Mozilla/5.0 (X11; Linux x86_64)" },
          { "phone": "+44 7700 900456", "purpose": "AccountAlerts", "action": "Granted", "occurredAt": "2025-03-02T08:00:00+01:00",
            "consentTextVersion": 1, "language": "en", "source": "store checkout" },
          { "phone": "+447700900123", "purpose": "Promotions", "action": "Revoked", "occurredAt": "2025-06-30T17:45:10Z",
            "consentTextId": 2, "source": "CRM preference form" }
        ]
        """;

    private const string Accepted = """
        { "batchId": "019a5f3e-8c1d-7b2a-9e4f-0a1b2c3d4e5f", "rows": 3, "recorded": 3, "unchanged": 0, "customersCreated": 2,
          "results": [
            { "row": 1, "customerId": "019a5f3e-8c1e-7c00-8000-000000000001", "phone": "+447700900123", "purpose": "Promotions", "action": "Granted", "outcome": "Recorded", "sequence": 101, "suppressed": false },
            { "row": 2, "customerId": "019a5f3e-8c1e-7c00-8000-000000000002", "phone": "+447700900456", "purpose": "AccountAlerts", "action": "Granted", "outcome": "Recorded", "sequence": 102, "suppressed": true },
            { "row": 3, "customerId": "019a5f3e-8c1e-7c00-8000-000000000001", "phone": "+447700900123", "purpose": "Promotions", "action": "Revoked", "outcome": "Recorded", "sequence": 103, "suppressed": false }
          ] }
        """;

    private const string Rejected = """
        { "type": "https://tools.ietf.org/html/rfc4918#section-11.2", "title": "Batch rejected", "status": 422,
          "detail": "1 of 3 rows cannot be imported, so nothing was saved. Fix or remove them and send the batch again.",
          "batchId": "019a5f3e-8c1d-7b2a-9e4f-0a1b2c3d4e5f", "rows": 3,
          "rejected": [ { "row": 2, "reason": "occurredAt: in the future; consentTextId: text 2 is the Promotions wording, not AccountAlerts" } ] }
        """;
}
