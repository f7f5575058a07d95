using System.Security.Claims;
using PreferenceCenter.Domain.Staff;

namespace PreferenceCenter.Web.Features.Staff;

internal static class StaffIdentity
{
    /// <summary>The signed-in staff member, as the audit log and agent events record them.</summary>
    public static StaffMember From(ClaimsPrincipal user, string? ipAddress) =>
        new(
            user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Signed-in staff member has no id."),
            user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "unknown",
            ipAddress);
}
