namespace PreferenceCenter.Domain.Consents;

/// <summary>How a consent change reached us. Stored as text so later channels add values without a migration.</summary>
public static class ConsentMethod
{
    public const string Web = "web";
    public const string Agent = "agent";
    public const string Sms = "sms";
    public const string Api = "api";
    public const string Import = "import";
    public const string System = "system";

    public static string Embedded(string siteId) => "embedded:" + siteId;
}

/// <summary>Why a change happened when the actor is not simply the customer ticking a box.</summary>
public static class ConsentReasons
{
    public const string NumberChanged = "number changed";
    public const string StopAll = "stop all texts";
    public const string AccountDeleted = "account deleted";
    public const string NumberVerifiedByAnotherCustomer = "number verified by another customer";

    /// <summary>The number was proved after a long silence, so by someone who may not be the person who agreed (ADR 23).</summary>
    public const string NumberVerifiedByNewHolder = "number verified by a new holder";

    /// <summary>A customer kept a consent after a material change of its text (a grant under the new version).</summary>
    public const string KeptAfterChange = "kept after change";

    /// <summary>A customer withdrew a consent when asked about a material change of its text.</summary>
    public const string WithdrawnAfterChange = "withdrawn after change";

    /// <summary>The system revoked a promotions consent whose material change was not answered by the deadline.</summary>
    public const string NotReconfirmed = "not reconfirmed after change";
}
