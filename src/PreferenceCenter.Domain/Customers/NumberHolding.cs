namespace PreferenceCenter.Domain.Customers;

/// <summary>
/// Who controls a number's consents: the person who proves it now (ADR 23). Carriers age a number at least 45 days
/// before giving it to someone else, so a number proved again after a longer silence (no code, no link, no text from
/// it) may be in a new person's hands, and a new holder period begins.
/// </summary>
public static class NumberHolding
{
    public const int DefaultGapDays = 90;

    /// <param name="lastSignOfLife">The latest verification, opened link or inbound text from the number; null if none.</param>
    /// <param name="now">When the number is proved again.</param>
    /// <param name="gap">The silence after which the prover is treated as a new holder.</param>
    public static bool StartsNewHolderPeriod(DateTimeOffset? lastSignOfLife, DateTimeOffset now, TimeSpan gap) =>
        lastSignOfLife is not { } last || now - last > gap;
}
