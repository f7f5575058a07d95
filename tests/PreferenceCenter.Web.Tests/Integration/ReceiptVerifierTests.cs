using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>
/// tools/verify-receipt (Node.js, no code shared with the app) on a real receipt from the running app and on
/// tampered copies: a customer or a regulator can check a receipt with nothing but it and the published keys.
/// </summary>
public sealed class ReceiptVerifierTests : IAsyncLifetime
{
    private readonly PreferenceCenterAppFactory _app = new("Development");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pc-receipt-");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Verifier_AcceptsTheAppsReceipt_AndRefusesEveryTamperedCopy()
    {
        var (receipt, keys) = await ReceiptAndKeysAsync();

        var genuine = await VerifyAsync(receipt, keys);
        Assert.True(genuine.ExitCode == 0, genuine.Output);
        Assert.Contains("VERIFIED", genuine.Output, StringComparison.Ordinal);
        Assert.True(E(receipt)["proof"]!["auditPath"]!.AsArray().Count > 0, "the tree has more than one event");

        await RefusedAsync(Changed(receipt, r =>
        {
            // The wording changed where a reader sees it and where the evidence keeps it.
            var changed = E(r)["text"]!["body"]!.GetValue<string>().Replace("4 messages", "40 messages", StringComparison.Ordinal);
            E(r)["text"]!["body"] = changed;
            r["notice"]!["text"] = changed;
        }), keys, "the wording's SHA-256");
        await RefusedAsync(Changed(receipt, r => r["consentStatus"] = "dpv:ConsentWithdrawn"), keys, "consentStatus");
        await RefusedAsync(Changed(receipt, r => r["notice"]!["text"] = "You may text me anything."), keys, "the notice is not the wording");
        await RefusedAsync(Changed(receipt, r => E(r)["event"]!["occurredAt"] = "2020-01-01T00:00:00.0000000Z"), keys, "occurred_at");
        await RefusedAsync(Changed(receipt, r =>
        {
            var canonical = E(r)["canonical"]!.GetValue<string>();
            var moved = System.Text.RegularExpressions.Regex.Replace(canonical, "occurred_at=[^\n]*", "occurred_at=2020-01-01T00:00:00.0000000Z");
            E(r)["canonical"] = moved;
            E(r)["canonicalBase64"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(moved));
            E(r)["event"]!["occurredAt"] = "2020-01-01T00:00:00.0000000Z";
        }), keys, "event hash does not recompute");
        await RefusedAsync(Changed(receipt, r =>
        {
            var path = E(r)["proof"]!["auditPath"]!.AsArray();
            var first = path[0]!.GetValue<string>();
            path[0] = (first[0] == '0' ? "1" : "0") + first[1..];
        }), keys, "the audit path leads to root");
        await RefusedAsync(Changed(receipt, r => E(r)["proof"]!["leafIndex"] = E(r)["proof"]!["leafIndex"]!.GetValue<long>() + 1), keys, "leaf index");

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var strangerKeys = Changed(keys, k =>
        {
            var key = k["keys"]![0]!;
            var spki = stranger.ExportSubjectPublicKeyInfo();
            key["publicKey"] = Convert.ToBase64String(spki);
            key["keyId"] = Convert.ToHexStringLower(SHA256.HashData(spki)[..4]);
            key["sha256"] = Convert.ToHexStringLower(SHA256.HashData(spki));
        });
        await RefusedAsync(receipt, strangerKeys, "not signed by any published key");
        await RefusedAsync(Changed(receipt, r => E(r)["proof"]!["checkpoint"] = E(r)["proof"]!["checkpoint"]!.GetValue<string>().Replace("\n\n", "\n", StringComparison.Ordinal).Replace("\u2014", "\n\u2014", StringComparison.Ordinal).Replace($"{E(r)["proof"]!["treeSize"]}\n", $"{E(r)["proof"]!["treeSize"]!.GetValue<long>() + 1}\n", StringComparison.Ordinal)), keys, "does not verify");
    }

    [Fact]
    public async Task WellKnownKeys_PublishTheSigningKey_WithItsC2spKeyIdAndFingerprint()
    {
        using var client = _app.CreateClient();

        var keys = JsonNode.Parse(await client.GetStringAsync(new Uri("/.well-known/consent-ledger-keys", UriKind.Relative)))!;

        var key = keys["keys"]![0]!;
        var spki = Convert.FromBase64String(key["publicKey"]!.GetValue<string>());
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        Assert.Equal(256, ecdsa.KeySize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(spki)[..4]), key["keyId"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(spki)), key["sha256"]!.GetValue<string>());
        Assert.Equal("ecdsa-p256-sha256", key["algorithm"]!.GetValue<string>());
        Assert.Equal(keys["origin"]!.GetValue<string>(), key["name"]!.GetValue<string>());
    }

    private async Task<(JsonNode Receipt, JsonNode Keys)> ReceiptAndKeysAsync()
    {
        using var client = await SignedInClients.ForAsync(_app, role: null);
        await CustomersWithConsent.CreateAsync(_app, "+447700900571");
        await CustomersWithConsent.CreateAsync(_app, "+447700900572");
        Guid me;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = users.Users.Single(u => u.UserName!.StartsWith("customer-"));
            me = await scope.ServiceProvider.GetRequiredService<ICustomerDirectory>().GetOrCreateForUserAsync(user.Id);
        }

        Assert.Equal(ConsentChangeOutcome.Changed, await CustomersWithConsent.VerifyAndGrantAsync(_app, me, "+447700900573"));
        var mine = (await _app.Services.GetRequiredService<IConsentService>().GetHistoryAsync(me)).Single();
        var receipt = JsonNode.Parse(await client.GetStringAsync(new Uri($"/preferences/receipts/{mine.Sequence}.json", UriKind.Relative)))!;
        var keys = JsonNode.Parse(await client.GetStringAsync(new Uri("/.well-known/consent-ledger-keys", UriKind.Relative)))!;
        return (receipt, keys);
    }

    /// <summary>The ledger evidence inside an ISO/IEC TS 27560 receipt (docs/receipts.md).</summary>
    private static JsonNode E(JsonNode receipt) => receipt["extension"]!["preferencecenter"]!;

    private static JsonNode Changed(JsonNode original, Action<JsonNode> change)
    {
        var copy = original.DeepClone();
        change(copy);
        return copy;
    }

    private async Task RefusedAsync(JsonNode receipt, JsonNode keys, string expected)
    {
        var result = await VerifyAsync(receipt, keys);
        Assert.True(result.ExitCode == 1, $"expected a refusal mentioning '{expected}', got exit {result.ExitCode}: {result.Output}");
        Assert.Contains("FAIL: ", result.Output, StringComparison.Ordinal);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync(JsonNode receipt, JsonNode keys)
    {
        var receiptPath = Path.Combine(_work.FullName, $"receipt-{Guid.NewGuid():N}.json");
        var keysPath = Path.Combine(_work.FullName, $"keys-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(receiptPath, receipt.ToJsonString());
        await File.WriteAllTextAsync(keysPath, keys.ToJsonString());
        var start = new ProcessStartInfo(Node(), [Script(), receiptPath, keysPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Node.js: PREFERENCECENTER_NODE, /usr/bin/node, or the PATH; a missing Node fails the test (.ci/test.sh installs it).</summary>
    private static string Node()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("PREFERENCECENTER_NODE"), "/usr/bin/node" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, "node")));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Node.js is needed to run tools/verify-receipt: install the OS package nodejs or set PREFERENCECENTER_NODE.");
    }

    private static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "tools", "verify-receipt", "verify-receipt.mjs");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("tools/verify-receipt/verify-receipt.mjs not found above the test's folder.");
    }
}
