using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Web.Features.Staff;

/// <summary>Lockout after failed password or second-factor attempts (<c>Staff:Lockout</c>); only staff have passwords.</summary>
public sealed class StaffLockoutOptions
{
    public const string SectionName = "Staff:Lockout";

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int Minutes { get; set; } = 15;
}
