using System.Security.Cryptography;
using System.Text;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Webhooks;

namespace PreferenceCenter.Domain.Tests;

public class WebhookSignatureTests
{
    // The Standard Webhooks / Svix reference libraries' own vector.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"test\": 2432232314}");

    [Fact]
    public void Sign_ReturnsTheReferenceSignature_ForTheStandardWebhooksTestVector()
    {
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign(Secret, MessageId, Timestamp, Body));
    }

    [Fact]
    public void Sign_ChangesCompletely_WhenTheIdTimestampBodyOrSecretChanges()
    {
        var reference = WebhookSignature.Sign(Secret, MessageId, Timestamp, Body);
        string[] others =
        [
            WebhookSignature.Sign(Secret, MessageId + "x", Timestamp, Body),
            WebhookSignature.Sign(Secret, MessageId, Timestamp + 1, Body),
            WebhookSignature.Sign(Secret, MessageId, Timestamp, Encoding.UTF8.GetBytes("{\"test\": 2432232315}")),
            WebhookSignature.Sign(WebhookSignature.NewSecret(), MessageId, Timestamp, Body),
        ];

        Assert.All(others, o => Assert.NotEqual(reference, o));
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Fact]
    public void NewSecret_IsWhsecPrefixedBase64Of32RandomBytes()
    {
        var a = WebhookSignature.NewSecret();
        var b = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(a["whsec_".Length..]).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Sign_IsHmacSha256OverIdTimestampAndBody_KeyedWithTheDecodedSecret()
    {
        // An independent statement of the algorithm docs/webhooks.md documents.
        var secret = WebhookSignature.NewSecret();
        var body = Encoding.UTF8.GetBytes("{\"type\":\"consent.granted\"}");
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret[6..]), Encoding.UTF8.GetBytes("id1.1700000000.{\"type\":\"consent.granted\"}")));

        Assert.Equal(expected, WebhookSignature.Sign(secret, "id1", 1700000000, body));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_not base64!")]
    [InlineData("")]
    public void Sign_Refuses_WhenTheSecretIsNotAWhsecSecret(string secret)
    {
        Assert.ThrowsAny<Exception>(() => WebhookSignature.Sign(secret, MessageId, Timestamp, Body));
    }
}

public class WebhookRulesTests
{
    [Theory]
    [InlineData("https://crm.example/hooks/consent", "https://crm.example/hooks/consent")]
    [InlineData("  HTTPS://CRM.Example/h?x=1 ", "https://crm.example/h?x=1")]
    [InlineData("http://localhost:5000/hooks", "http://localhost:5000/hooks")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/")]
    [InlineData("http://[::1]:8080/h", "http://[::1]:8080/h")]
    public void TryNormaliseUrl_Accepts_HttpsAnywhereAndHttpToThisMachine(string input, string expected)
    {
        Assert.True(WebhookRules.TryNormaliseUrl(input, out var url, out var problem), problem);
        Assert.Equal(expected, url);
    }

    [Theory]
    [InlineData(null, "absolute https")]
    [InlineData("", "absolute https")]
    [InlineData("/hooks", "absolute https")]
    [InlineData("ftp://crm.example/h", "absolute https")]
    [InlineData("http://crm.example/hooks", "Use https")]
    [InlineData("http://10.0.0.5/hooks", "Use https")]
    [InlineData("https://user:pass@crm.example/h", "user names")]
    [InlineData("https://crm.example/h#part", "fragments")]
    public void TryNormaliseUrl_RefusesWithAReason_WhenTheUrlIsNotSafeToDeliverTo(string? input, string reason)
    {
        Assert.False(WebhookRules.TryNormaliseUrl(input, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryNormaliseUrl_Refuses_WhenTheUrlIsLongerThanTheLimit()
    {
        Assert.False(WebhookRules.TryNormaliseUrl("https://crm.example/" + new string('a', WebhookRules.MaxUrlLength), out _, out _));
    }
}

public class WebhookSubscriberTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Wants_FollowsTheChosenPurposesAndActions()
    {
        var s = WebhookSubscriber.Create("CRM", "https://crm.example/h", [Purpose.Promotions], [ConsentAction.Revoked], "protected", Now, PurposeCatalog.Default);

        Assert.True(s.Wants(Purpose.Promotions, ConsentAction.Revoked));
        Assert.False(s.Wants(Purpose.Promotions, ConsentAction.Granted));
        Assert.False(s.Wants(Purpose.AccountAlerts, ConsentAction.Revoked));
        Assert.Equal([Purpose.Promotions], s.Purposes);
        Assert.Equal([ConsentAction.Revoked], s.Actions);
    }

    [Fact]
    public void Create_StoresEveryValueChosenAsAll_SoTheSubscriberWantsEverything()
    {
        var s = WebhookSubscriber.Create("  CRM ", "https://crm.example/h", PurposeCatalog.Default.All, [ConsentAction.Revoked, ConsentAction.Granted, ConsentAction.Granted], "protected", Now, PurposeCatalog.Default);

        Assert.Equal(("CRM", "", ""), (s.Name, s.PurposesText, s.ActionsText));
        Assert.All(PurposeCatalog.Default.All, p => Assert.True(s.Wants(p, ConsentAction.Granted) && s.Wants(p, ConsentAction.Revoked)));
        Assert.True(s.Active);
    }

    [Theory]
    [InlineData("", "https://crm.example/h")]
    [InlineData("CRM", "http://crm.example/h")]
    public void Create_Refuses_WhenTheNameOrUrlIsInvalid(string name, string url)
    {
        Assert.Throws<ArgumentException>(() => WebhookSubscriber.Create(name, url, PurposeCatalog.Default.All, [ConsentAction.Granted], "protected", Now, PurposeCatalog.Default));
    }
}

public class WebhookDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Failed_SchedulesTheNextAttempt_UntilTheLastOneDeadLetters()
    {
        var d = WebhookDelivery.Queue(Guid.NewGuid(), 7, Guid.NewGuid(), Now);

        d.Failed(Now, 503, "HTTP 503", maxAttempts: 2, TimeSpan.FromMinutes(1));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, Now.AddMinutes(1)), (d.Status, d.Attempts, d.NextAttemptAt));

        d.Failed(Now.AddMinutes(1), null, "No answer", maxAttempts: 2, TimeSpan.FromMinutes(2));
        Assert.Equal((WebhookDeliveryStatus.DeadLettered, 2, Now.AddMinutes(1)), (d.Status, d.Attempts, d.DeadLetteredAt));
        Assert.Null(d.LastStatusCode);
    }

    [Fact]
    public void Succeeded_MarksItDeliveredAndForgetsTheLastError()
    {
        var d = WebhookDelivery.Queue(Guid.NewGuid(), 7, Guid.NewGuid(), Now);
        d.Failed(Now, 500, "HTTP 500: boom", 5, TimeSpan.FromSeconds(30));

        d.Succeeded(Now.AddSeconds(30), 204);

        Assert.Equal((WebhookDeliveryStatus.Delivered, 2, 204, (string?)null, (DateTimeOffset?)Now.AddSeconds(30)), (d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.DeliveredAt));
    }

    [Fact]
    public void Excerpt_KeepsOneLineOfAtMost500Characters()
    {
        var excerpt = WebhookDelivery.Excerpt("line one\r\nline two\t" + new string('x', 1000));

        Assert.StartsWith("line one line two x", excerpt, StringComparison.Ordinal);
        Assert.Equal(WebhookDelivery.MaxErrorLength, excerpt.Length);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
    }
}

public class WebhookBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Max = TimeSpan.FromHours(4);

    [Fact]
    public void Delay_DoublesAfterEachFailure_UpToTheMaximum()
    {
        var middle = Enumerable.Range(1, 12).Select(n => WebhookBackoff.Delay(n, Initial, Max, 0.5)).ToList();

        Assert.Equal(TimeSpan.FromSeconds(30), middle[0]);
        Assert.Equal(TimeSpan.FromMinutes(1), middle[1]);
        Assert.Equal(TimeSpan.FromMinutes(128), middle[8]);
        Assert.Equal(Max, middle[9]);
        Assert.Equal(Max, middle[11]);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.999999, 1.2)]
    public void Delay_VariesByAtMostTwentyPercent_WithTheRandomSample(double sample, double factor)
    {
        Assert.Equal(TimeSpan.FromSeconds(30 * 4 * factor).TotalMilliseconds, WebhookBackoff.Delay(3, Initial, Max, sample).TotalMilliseconds, 1);
    }

    [Fact]
    public void Schedule_SpansAboutADay_WithTheDefaultFifteenAttempts()
    {
        var total = WebhookBackoff.Schedule(15, Initial, Max).Aggregate(TimeSpan.Zero, (a, b) => a + b);

        Assert.InRange(total, TimeSpan.FromHours(22), TimeSpan.FromHours(26));
        Assert.InRange(total * (1 - WebhookBackoff.Jitter), TimeSpan.FromHours(18), total);
    }
}

/// <summary>docs/webhooks.md: its worked example (computed with Python hmac and Node crypto) and its C# snippet.</summary>
public class WebhookDocsTests
{
    private const string Secret = "whsec_cGMtZG9jcy1leGFtcGxlLXNlY3JldC0zMi1ieXRlcyE=";
    private const string Id = "01a2f3c4-9d8e-7f6a-8b5c-4d3e2f1a0b9c";
    private const string Timestamp = "1795426205";
    private const string Signature = "v1,SQI5yicdtiLTOUZxJFyYOUoRkxs59kQMAZjz8K68Sfk=";
    private const string Body = """{"id":"01a2f3c4-9d8e-7f6a-8b5c-4d3e2f1a0b9c","type":"consent.granted","timestamp":"2026-11-23T09:30:00+00:00","data":{"sequence":42,"customerId":"01a2f3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b","phone":"+447700900123","purpose":"Promotions","action":"Granted","occurredAt":"2026-11-23T09:30:00+00:00","recordedAt":"2026-11-23T09:30:00+00:00","method":"web","actor":"customer:01a2f3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b","consentTextId":2,"textSha256":"3f0c6f1d2b7a9e8c5d4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d","reason":null,"hash":"fe911db23ea60e813596cfb38629bd63567081f4bce6368292dcf8ec4cede75c"}}""";
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1795426205);

    [Fact]
    public void AppSigner_ProducesTheWorkedExamplesSignature()
    {
        Assert.Equal(Signature, WebhookSignature.Sign(Secret, Id, long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void DocsSnippet_AcceptsTheWorkedExampleAndTheStandardVector()
    {
        Assert.True(VerifyWebhook(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body), Signature, SignedAt.AddMinutes(4)));
        Assert.True(VerifyWebhook(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body), "v1,bm9wZQ== " + Signature, SignedAt));
        Assert.True(VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", Encoding.UTF8.GetBytes("{\"test\": 2432232314}"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", DateTimeOffset.FromUnixTimeSeconds(1614265330)));
    }

    [Fact]
    public void DocsSnippet_Refuses_ATamperedBodyAnotherIdAnOldTimestampOrAnotherSecret()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.False(VerifyWebhook(Secret, Id, Timestamp, Encoding.UTF8.GetBytes(Body.Replace("Granted", "Revoked", StringComparison.Ordinal)), Signature, SignedAt));
        Assert.False(VerifyWebhook(Secret, Id[..^1] + "d", Timestamp, body, Signature, SignedAt));
        Assert.False(VerifyWebhook(Secret, Id, Timestamp, body, Signature, SignedAt.AddMinutes(6)));
        Assert.False(VerifyWebhook(WebhookSignature.NewSecret(), Id, Timestamp, body, Signature, SignedAt));
    }

    // Kept identical to the C# snippet in docs/webhooks.md, so the docs are proven to match the app.
    private static bool VerifyWebhook(string secret, string id, string timestamp, byte[] body, string signatureHeader, DateTimeOffset now)
    {
        // Refuse old or future-dated requests: a captured delivery cannot be replayed later.
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        return signatureHeader.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}
