using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Infrastructure.SignIn;

/// <summary>How long a customer's phone sign-in lasts, and how long the links in texts stay good (ADR 22).</summary>
public sealed class CustomerSignInOptions
{
    public const string SectionName = "CustomerSignIn";

    /// <summary>A signed-in customer's session, from sign-in (not sliding): long enough for a visit, short for a shared phone.</summary>
    [Range(1, 24 * 30)]
    public int SessionHours { get; set; } = 12;

    /// <summary>How long a manage link in a text opens the page.</summary>
    [Range(1, 24 * 7)]
    public int LinkLifetimeHours { get; set; } = 24;

    /// <summary>The moment between a correct code and the browser setting its cookie.</summary>
    [Range(10, 600)]
    public int AfterCodeLinkSeconds { get; set; } = 120;
}
