using Microsoft.AspNetCore.Identity;

namespace PreferenceCenter.Infrastructure.Identity;

/// <summary>A sign-in account. Consent data hangs off <see cref="Domain.Customers.Customer"/>, not off the user.</summary>
public sealed class ApplicationUser : IdentityUser
{
}
