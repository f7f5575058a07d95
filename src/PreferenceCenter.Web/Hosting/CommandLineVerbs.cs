using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceCenter.Infrastructure;
using PreferenceCenter.Infrastructure.Ledger;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// Verbs of the web app's executable (<c>dotnet run --project src/PreferenceCenter.Web -- users create …</c>). They run
/// against the same configuration and database as the app, then exit without starting the server.
/// </summary>
internal static class CommandLineVerbs
{
    private const string ConnectionDescription = "Connection string of another database of the app's provider, SQLite or PostgreSQL (default: the app's own)";

    private static readonly string[] Verbs = ["users", "ledger"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = new Option<string>("--email") { Description = "Sign-in email of the staff member", Required = true };
        var password = new Option<string>("--password") { Description = "Initial password (Identity's password rules apply)", Required = true };
        var role = new Option<string>("--role") { Description = "Agent or Admin", Required = true };
        var create = new Command("create", "Create a support staff account") { email, password, role };
        create.SetAction(async (result, _) =>
        {
            await using var scope = services.CreateAsyncScope();
            var problems = await scope.ServiceProvider.GetRequiredService<StaffAccounts>()
                .CreateAsync(result.GetValue(email)!, result.GetValue(password)!, result.GetValue(role)!);
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync($"error: {problem}");
            }

            if (problems.Count > 0)
            {
                return 1;
            }

            Console.WriteLine($"Created {result.GetValue(role)} account {result.GetValue(email)}.");
            return 0;
        });

        var resetEmail = new Argument<string>("email") { Description = "Sign-in email of the staff member" };
        var resetPassword = new Argument<string>("password") { Description = "New password (Identity's password rules apply)" };
        var resetPasswordCommand = new Command("reset-password", "Set a staff member's password, end any lockout and sign them out everywhere") { resetEmail, resetPassword };
        resetPasswordCommand.SetAction((result, _) => RunStaffChangeAsync(
            services,
            accounts => accounts.ResetPasswordAsync(result.GetValue(resetEmail)!, result.GetValue(resetPassword)!),
            $"Password of {result.GetValue(resetEmail)} reset; the account is unlocked."));

        var unlockEmail = new Argument<string>("email") { Description = "Sign-in email of the staff member" };
        var unlock = new Command("unlock", "End a staff member's lockout after too many failed sign-ins") { unlockEmail };
        unlock.SetAction((result, _) => RunStaffChangeAsync(
            services,
            accounts => accounts.UnlockAsync(result.GetValue(unlockEmail)!),
            $"Unlocked {result.GetValue(unlockEmail)}."));

        var connection = new Option<string?>("--connection") { Description = ConnectionDescription };
        var verify = new Command("verify", "Re-compute the consent log's hash chain; exit 1 at the first broken event") { connection };
        verify.SetAction(async (result, cancellationToken) =>
        {
            await using var db = await OpenLedgerAsync(services, result.GetValue(connection), cancellationToken);
            var report = await LedgerVerifier.VerifyAsync(db, services.GetRequiredService<LedgerCheckpointer>().Keys, cancellationToken);
            await (report.Intact ? Console.Out : Console.Error).WriteLineAsync(report.Summary);
            return report.Intact ? 0 : 1;
        });

        var rebuildConnection = new Option<string?>("--connection") { Description = ConnectionDescription };
        var rebuild = new Command("rebuild-projection", "Rebuild current consent states from the ledger and report what changed") { rebuildConnection };
        rebuild.SetAction(async (result, cancellationToken) =>
        {
            await using var db = await OpenLedgerAsync(services, result.GetValue(rebuildConnection), cancellationToken);
            var report = await ProjectionRebuilder.RebuildAsync(db, cancellationToken);
            Console.WriteLine(report.Summary);
            return 0;
        });

        var consistencyConnection = new Option<string?>("--connection") { Description = ConnectionDescription };
        var from = new Option<long>("--from") { Description = "Tree size of the older signed checkpoint", Required = true };
        var to = new Option<long>("--to") { Description = "Tree size of the newer signed checkpoint", Required = true };
        var consistency = new Command("consistency", "Prove that the signed checkpoint of size --from is a prefix of the one of size --to (RFC 9162); exit 1 if not") { from, to, consistencyConnection };
        consistency.SetAction(async (result, cancellationToken) =>
        {
            await using var db = await OpenLedgerAsync(services, result.GetValue(consistencyConnection), cancellationToken);
            var report = await LedgerConsistency.CheckAsync(db, services.GetRequiredService<LedgerCheckpointer>().Keys, result.GetValue(from), result.GetValue(to), cancellationToken);
            if (report.FromRoot is not null && report.ToRoot is not null)
            {
                Console.WriteLine($"root {result.GetValue(from)}: {Convert.ToHexStringLower(report.FromRoot)}");
                Console.WriteLine($"root {result.GetValue(to)}: {Convert.ToHexStringLower(report.ToRoot)}");
            }

            foreach (var hash in report.Proof ?? [])
            {
                Console.WriteLine($"proof: {Convert.ToHexStringLower(hash)}");
            }

            await (report.Consistent ? Console.Out : Console.Error).WriteLineAsync(report.Summary);
            return report.Consistent ? 0 : 1;
        });

        var root = new RootCommand("PreferenceCenter administration")
        {
            new Command("users", "Manage staff accounts") { create, resetPasswordCommand, unlock },
            new Command("ledger", "Check the consent log") { verify, consistency, rebuild },
        };
        return root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunStaffChangeAsync(IServiceProvider services, Func<StaffAccounts, Task<IReadOnlyList<string>>> change, string done)
    {
        await using var scope = services.CreateAsyncScope();
        var problems = await change(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
        }

        if (problems.Count > 0)
        {
            return 1;
        }

        Console.WriteLine(done);
        return 0;
    }

    private static async Task<PreferenceCenterDbContext> OpenLedgerAsync(IServiceProvider services, string? connectionString, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return await services.GetRequiredService<IDbContextFactory<PreferenceCenterDbContext>>().CreateDbContextAsync(cancellationToken);
        }

        var options = new DbContextOptionsBuilder<PreferenceCenterDbContext>().UseApplicationServiceProvider(services);
        options.UsePreferenceCenterDatabase(services.GetRequiredService<IOptions<DatabaseOptions>>().Value, connectionString);
        return new PreferenceCenterDbContext(options.Options);
    }
}
