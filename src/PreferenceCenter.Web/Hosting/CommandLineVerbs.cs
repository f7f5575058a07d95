using System.CommandLine;
using PreferenceCenter.Web.Features.Staff;

namespace PreferenceCenter.Web.Hosting;

/// <summary>
/// Verbs of the web app's executable (<c>dotnet run --project src/PreferenceCenter.Web -- users create …</c>). They run
/// against the same configuration and database as the app, then exit without starting the server.
/// </summary>
internal static class CommandLineVerbs
{
    private static readonly string[] Verbs = ["users"];

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

        var root = new RootCommand("PreferenceCenter administration") { new Command("users", "Manage staff accounts") { create } };
        return root.Parse(args).InvokeAsync();
    }
}
