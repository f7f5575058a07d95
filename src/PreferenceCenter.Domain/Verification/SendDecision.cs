namespace PreferenceCenter.Domain.Verification;

public enum SendRefusal
{
    None,
    Cooldown,
    NumberHourlyCap,
    CustomerHourlyCap,
    CountryNotAllowed,
    IpHourlyCap,
    PrefixHourlyCap,
}

/// <summary>Whether a new code may be sent now, and if not, why and for how long.</summary>
public sealed record SendDecision(SendRefusal Refusal, TimeSpan RetryAfter)
{
    public static SendDecision Allowed { get; } = new(SendRefusal.None, TimeSpan.Zero);

    public bool IsAllowed => Refusal == SendRefusal.None;

    /// <summary>Applies the cooldown and the hourly caps to the send history of a customer and a number.</summary>
    /// <param name="now">Current time.</param>
    /// <param name="policy">Limits.</param>
    /// <param name="customerSendsLastHour">Times this customer was sent a code in the last hour (any number).</param>
    /// <param name="numberSendsLastHour">Times this number was sent a code in the last hour (any customer).</param>
    public static SendDecision Evaluate(
        DateTimeOffset now,
        VerificationPolicy policy,
        IReadOnlyCollection<DateTimeOffset> customerSendsLastHour,
        IReadOnlyCollection<DateTimeOffset> numberSendsLastHour) =>
        Evaluate(now, policy, customerSendsLastHour, numberSendsLastHour, customerSendsLastHour.Count == 0 ? null : customerSendsLastHour.Max());

    /// <summary>As above, with the cooldown measured from <paramref name="lastUnusedSend"/>: the newest code not yet
    /// used. A code that was entered correctly does not hold up a code for the next number; it still counts toward the caps.</summary>
    public static SendDecision Evaluate(
        DateTimeOffset now,
        VerificationPolicy policy,
        IReadOnlyCollection<DateTimeOffset> customerSendsLastHour,
        IReadOnlyCollection<DateTimeOffset> numberSendsLastHour,
        DateTimeOffset? lastUnusedSend)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(customerSendsLastHour);
        ArgumentNullException.ThrowIfNull(numberSendsLastHour);
        var hourAgo = now - TimeSpan.FromHours(1);
        var mine = customerSendsLastHour.Where(t => t > hourAgo).OrderBy(t => t).ToList();
        var theirs = numberSendsLastHour.Where(t => t > hourAgo).OrderBy(t => t).ToList();

        if (lastUnusedSend is { } last && now - last < policy.ResendCooldown)
        {
            return new(SendRefusal.Cooldown, policy.ResendCooldown - (now - last));
        }

        if (theirs.Count >= policy.MaxSendsPerNumberPerHour)
        {
            return new(SendRefusal.NumberHourlyCap, UntilUnderCap(theirs, policy.MaxSendsPerNumberPerHour, now));
        }

        if (mine.Count >= policy.MaxSendsPerCustomerPerHour)
        {
            return new(SendRefusal.CustomerHourlyCap, UntilUnderCap(mine, policy.MaxSendsPerCustomerPerHour, now));
        }

        return Allowed;
    }

    /// <summary>
    /// SMS-pumping checks that do not depend on who asks: the destination country, how busy the caller's IP has been in
    /// the last hour, and how many different requesters sent codes that nobody typed back to the number's range (ADR 28).
    /// A number already verified here is no pumping target, so the range cap does not apply to it.
    /// </summary>
    public static SendDecision EvaluateAbuse(
        DateTimeOffset now,
        VerificationPolicy policy,
        string regionCode,
        string countryRegionCode,
        IReadOnlyCollection<DateTimeOffset> ipSendsLastHour,
        IReadOnlyCollection<RangeSend> unverifiedRangeSendsLastHour,
        bool numberVerifiedBefore = false)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(unverifiedRangeSendsLastHour);
        if (policy.AllowedCountries.Count > 0
            && !policy.AllowedCountries.Contains(regionCode, StringComparer.OrdinalIgnoreCase)
            && !policy.AllowedCountries.Contains(countryRegionCode, StringComparer.OrdinalIgnoreCase))
        {
            return new(SendRefusal.CountryNotAllowed, TimeSpan.Zero);
        }

        var hourAgo = now - TimeSpan.FromHours(1);
        var ip = ipSendsLastHour.Where(t => t > hourAgo).Order().ToList();
        if (ip.Count >= policy.MaxSendsPerIpPerHour)
        {
            return new(SendRefusal.IpHourlyCap, UntilUnderCap(ip, policy.MaxSendsPerIpPerHour, now));
        }

        if (numberVerifiedBefore)
        {
            return Allowed;
        }

        // One requester counts once however much it sends (its own cap is the IP cap above), so a single attacker
        // cannot lock a range; a send without a known address counts on its own, as we cannot tell such callers apart.
        var requesters = unverifiedRangeSendsLastHour.Where(s => s.At > hourAgo)
            .Select((s, i) => (s.At, Key: s.Requester ?? $"unknown:{i}"))
            .GroupBy(s => s.Key, StringComparer.Ordinal)
            .Select(g => g.Max(s => s.At))
            .Order()
            .ToList();
        return requesters.Count >= policy.MaxSendsPerPrefixPerHour
            ? new(SendRefusal.PrefixHourlyCap, UntilUnderCap(requesters, policy.MaxSendsPerPrefixPerHour, now))
            : Allowed;
    }

    /// <summary>When the oldest send that keeps the count at the cap turns an hour old (a cap of 0 waits a full hour).</summary>
    private static TimeSpan UntilUnderCap(List<DateTimeOffset> sortedSends, int cap, DateTimeOffset now) =>
        cap <= 0 || sortedSends.Count == 0 ? TimeSpan.FromHours(1) : sortedSends[^cap] + TimeSpan.FromHours(1) - now;
}

/// <summary>A code sent to a number in the range being checked, and who asked for it (their IP address, if known).</summary>
public sealed record RangeSend(DateTimeOffset At, string? Requester);
