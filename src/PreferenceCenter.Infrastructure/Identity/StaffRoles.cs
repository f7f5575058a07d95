namespace PreferenceCenter.Infrastructure.Identity;

/// <summary>Identity roles for staff. Customers have no role.</summary>
public static class StaffRoles
{
    public const string Agent = "Agent";
    public const string Admin = "Admin";

    /// <summary>For <c>[Authorize(Roles = ...)]</c>: anyone who may use the agent console.</summary>
    public const string AnyStaff = Agent + "," + Admin;

    public static IReadOnlyList<string> All { get; } = [Agent, Admin];
}
