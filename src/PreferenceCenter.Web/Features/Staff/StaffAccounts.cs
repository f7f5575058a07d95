using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Features.Staff;

/// <summary>Creates support staff accounts (never self-service) and makes sure the staff roles exist.</summary>
public sealed class StaffAccounts(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    /// <summary>Returns the problems that stopped it; empty means the account exists and can sign in.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string email, string password, string role)
    {
        var knownRole = StaffRoles.All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
        if (knownRole is null)
        {
            return [$"Unknown role '{role}'. Use one of: {string.Join(", ", StaffRoles.All)}."];
        }

        if (!new EmailAddressAttribute().IsValid(email))
        {
            return [$"'{email}' is not a valid email address."];
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return [$"A user with the email {email} already exists."];
        }

        await EnsureRolesAsync();

        // Staff are created by an administrator, so their email counts as confirmed.
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created.Errors.Select(e => e.Description).ToList();
        }

        var added = await users.AddToRoleAsync(user, knownRole);
        return added.Succeeded ? [] : added.Errors.Select(e => e.Description).ToList();
    }
}
