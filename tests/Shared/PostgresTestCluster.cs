namespace PreferenceCenter.Testing;

/// <summary>
/// The throwaway PostgreSQL cluster <c>.ci/test.sh</c> starts for the run (<see cref="Variable"/>): each test gets a
/// fresh database of its own, dropped afterwards.
/// </summary>
public static class PostgresTestCluster
{
    /// <summary>An Npgsql connection string of a superuser on the test cluster.</summary>
    public const string Variable = "PREFERENCECENTER_TEST_POSTGRES";

    /// <summary>Set by <c>.ci/test.sh</c> instead, with the reason, where PostgreSQL could not be installed.</summary>
    public const string UnavailableVariable = "PREFERENCECENTER_TEST_POSTGRES_UNAVAILABLE";

    /// <summary>
    /// A new, empty database. Without a cluster the test is skipped, with the reason, only where the test script
    /// said PostgreSQL cannot be installed here; anywhere else it fails and says how to get one.
    /// </summary>
    public static async Task<PostgresScratchDatabase> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            if (Environment.GetEnvironmentVariable(UnavailableVariable) is { Length: > 0 } reason)
            {
                Assert.Skip($"PostgreSQL case not run: {reason}");
            }

            Assert.Fail($"This PostgreSQL case needs a server: run the tests with .ci/test.sh (it starts a throwaway cluster), or set {Variable} to an Npgsql connection string of a superuser.");
        }

        return await PostgresScratchDatabase.CreateAsync(server, "pc_test");
    }
}
