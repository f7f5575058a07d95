using System.ComponentModel.DataAnnotations;

namespace PreferenceCenter.Web.Features.Preferences;

/// <summary>
/// Who is responsible for the consents (the PII controller of ISO/IEC TS 27560) and under which law: written into every
/// receipt (ADR 38). Name, contact and policy fall back to <c>Sms:BusinessName</c>, <c>Sms:SupportContact</c> and the
/// preferences page, and the jurisdiction to <c>Phone:DefaultRegion</c>, so an installation states them once.
/// </summary>
public sealed class ControllerOptions
{
    public const string SectionName = "Controller";

    [StringLength(200)]
    public string? Name { get; set; }

    /// <summary>An email address, phone number or web form for questions about consent.</summary>
    [StringLength(200)]
    public string? Contact { get; set; }

    [StringLength(400)]
    public string? Address { get; set; }

    /// <summary>ISO 3166-1 alpha-2 codes (optionally with a subdivision, e.g. GB, US-CA) whose law applies.</summary>
    public List<string> Jurisdictions { get; set; } = [];

    [Url]
    public string? PolicyUrl { get; set; }

    /// <summary>How long the record of a consent is kept, in words a customer reads on their receipt.</summary>
    [StringLength(300)]
    public string Retention { get; set; } = "The record of this change is kept while you have an account and for six years after your last change, as proof; deleting your account removes your number and everything that identifies you from it.";

    /// <summary>The same as an ISO 8601 duration after the consent ends, for machines.</summary>
    [RegularExpression(@"^P(\d+Y)?(\d+M)?(\d+D)?$")]
    public string RetentionAfterEnd { get; set; } = "P6Y";
}
