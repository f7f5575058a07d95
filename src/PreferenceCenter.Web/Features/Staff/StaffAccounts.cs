using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using PreferenceCenter.Infrastructure.Identity;

namespace PreferenceCenter.Web.Features.Staff;

/// <summary>Creates staff accounts (never self-service) and makes sure the staff roles exist.</summary>
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

    /// <summary>Sets a new password, ends any lockout and signs the account out everywhere (new security stamp).</summary>
    public async Task<IReadOnlyList<string>> ResetPasswordAsync(string email, string password)
    {
        var user = await FindStaffAsync(email);
        if (user is null)
        {
            return [$"No staff account has the email {email}."];
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            return reset.Errors.Select(e => e.Description).ToList();
        }

        return await EndLockoutAsync(user);
    }

    /// <summary>Ends a lockout and forgets the failed attempts so far.</summary>
    public async Task<IReadOnlyList<string>> UnlockAsync(string email)
    {
        var user = await FindStaffAsync(email);
        return user is null ? [$"No staff account has the email {email}."] : await EndLockoutAsync(user);
    }

    public async Task<bool> IsStaffAsync(ApplicationUser user)
    {
        foreach (var role in StaffRoles.All)
        {
            if (await users.IsInRoleAsync(user, role))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<ApplicationUser?> FindStaffAsync(string email)
    {
        var user = await users.FindByEmailAsync(email);
        return user is not null && await IsStaffAsync(user) ? user : null;
    }

    private async Task<IReadOnlyList<string>> EndLockoutAsync(ApplicationUser user)
    {
        var unlocked = await users.SetLockoutEndDateAsync(user, null);
        if (!unlocked.Succeeded)
        {
            return unlocked.Errors.Select(e => e.Description).ToList();
        }

        var reset = await users.ResetAccessFailedCountAsync(user);
        return reset.Succeeded ? [] : reset.Errors.Select(e => e.Description).ToList();
    }
}
