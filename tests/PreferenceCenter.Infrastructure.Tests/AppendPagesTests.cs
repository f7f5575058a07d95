using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Testing;

namespace PreferenceCenter.Infrastructure.Tests;

/// <summary>
/// What one consent change writes to SQLite's log, counted from the WAL's frame headers rather than timed: a new index,
/// table or statement on the append's path shows up here as pages before it shows up as a slower fsync (ADR 40).
/// </summary>
public sealed class AppendPagesTests
{
    private const int PromotionsText = 2;

    [Fact]
    public async Task ConsentChange_WritesAtMostSixPagesPerGrantAndFivePerRevoke_OnSqlite()
    {
        await using var database = await TestDatabase.CreateAsync();
        var customer = await database.CreateVerifiedCustomerAsync();
        var grants = new List<int>();
        var revokes = new List<int>();

        for (var i = 0; i < 40; i++)
        {
            var before = WalLog.Read(database.DatabasePath);
            var result = i % 2 == 0
                ? await database.Consents.GrantAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer))
                : await database.Consents.RevokeAsync(customer, Purpose.Promotions, PromotionsText, TestDatabase.Evidence(customer));
            Assert.Equal(ConsentChangeOutcome.Changed, result.Outcome);
            if (WalLog.Read(database.DatabasePath).Since(before) is { } written)
            {
                (i % 2 == 0 ? grants : revokes).Add(written.Count);
            }
        }

        // Medians: a b-tree page split now and then writes one or two more. Before ADR 40 these were 12 and 7; one more index or row on the path fails this.
        Assert.True(grants.Count >= 10 && revokes.Count >= 10, $"too few commits counted ({grants.Count}, {revokes.Count})");
        Assert.True(Median(grants) <= 6, $"a grant wrote {Median(grants)} pages (median of {string.Join(", ", grants)})");
        Assert.True(Median(revokes) <= 5, $"a revoke wrote {Median(revokes)} pages (median of {string.Join(", ", revokes)})");
    }

    private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);
}
