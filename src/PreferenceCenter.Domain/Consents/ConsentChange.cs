namespace PreferenceCenter.Domain.Consents;

public enum ConsentChangeOutcome
{
    /// <summary>An event was appended.</summary>
    Changed,

    /// <summary>The consent was already in the asked state; nothing was logged.</summary>
    Unchanged,

    /// <summary>A grant needs a verified phone number first.</summary>
    NoVerifiedNumber,

    /// <summary>The consent text version does not exist or is for another purpose.</summary>
    UnknownText,
}

public sealed record ConsentChangeResult(ConsentChangeOutcome Outcome, Purpose Purpose, ConsentEvent? Event = null)
{
    public bool Succeeded => Outcome is ConsentChangeOutcome.Changed or ConsentChangeOutcome.Unchanged;
}
