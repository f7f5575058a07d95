using PreferenceCenter.Testing;

namespace PreferenceCenter.Web.Tests.Integration;

/// <summary>The real executable, started as a process, as an operator runs it.</summary>
public sealed class StaffCommandLineTests : IDisposable
{
    private readonly TempDataFolder _data = new("cli");

    [Fact]
    public async Task UsersCreate_ExitsZero_AndTheAccountCanBeFound()
    {
        var (code, output, _) = await RunAsync("users", "create", "--email", "agent@example.test", "--password", "Agent-Passw0rd!", "--role", "Agent");
        Assert.Equal(0, code);
        Assert.Contains("Created Agent account agent@example.test", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("weak", "Agent", "Passwords must")]
    [InlineData("Agent-Passw0rd!", "Boss", "Unknown role 'Boss'")]
    public async Task UsersCreate_ExitsOneWithAClearError_WhenInputIsBad(string password, string role, string expected)
    {
        var (code, _, errors) = await RunAsync("users", "create", "--email", "x@example.test", "--password", password, "--role", role);
        Assert.Equal(1, code);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersCreate_RefusesADuplicateEmail()
    {
        Assert.Equal(0, (await RunAsync("users", "create", "--email", "dup@example.test", "--password", "Agent-Passw0rd!", "--role", "Admin")).Code);
        var (code, _, errors) = await RunAsync("users", "create", "--email", "DUP@example.test", "--password", "Agent-Passw0rd!", "--role", "Agent");
        Assert.Equal(1, code);
        Assert.Contains("already exists", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersResetPasswordAndUnlock_ExitZero_ForAStaffAccount()
    {
        Assert.Equal(0, (await RunAsync("users", "create", "--email", "reset@example.test", "--password", "Agent-Passw0rd!", "--role", "Agent")).Code);

        var reset = await RunAsync("users", "reset-password", "reset@example.test", "Other-Passw0rd!");
        var unlock = await RunAsync("users", "unlock", "RESET@example.test");

        Assert.True(reset.Code == 0, reset.Errors);
        Assert.Contains("Password of reset@example.test reset", reset.Output, StringComparison.Ordinal);
        Assert.True(unlock.Code == 0, unlock.Errors);
    }

    [Theory]
    [InlineData("users", "reset-password", "nobody@example.test", "Other-Passw0rd!", "No staff account has the email nobody@example.test")]
    [InlineData("users", "reset-password", "weak@example.test", "weak", "Passwords must")]
    [InlineData("users", "unlock", "nobody@example.test", null, "No staff account has the email nobody@example.test")]
    public async Task UsersResetPasswordAndUnlock_ExitOneWithAClearError_WhenInputIsBad(string verb, string action, string email, string? password, string expected)
    {
        Assert.Equal(0, (await RunAsync("users", "create", "--email", "weak@example.test", "--password", "Agent-Passw0rd!", "--role", "Agent")).Code);

        var (code, _, errors) = password is null ? await RunAsync(verb, action, email) : await RunAsync(verb, action, email, password);

        Assert.Equal(1, code);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();

    private Task<(int Code, string Output, string Errors)> RunAsync(params string[] args) =>
        WebExecutable.RunAsync(_data.Settings, TestContext.Current.CancellationToken, args);
}
