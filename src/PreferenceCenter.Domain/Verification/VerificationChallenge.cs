namespace PreferenceCenter.Domain.Verification;

public enum VerifyOutcome
{
    Verified,
    WrongCode,
    Expired,
    TooManyAttempts,
    NoActiveCode,
}

/// <summary>
/// One code sent to one number, for a signed-in customer (changing their number) or for a browser signing in with
/// that number (<see cref="FlowId"/>, no customer yet). Only a keyed hash of the code is kept.
/// </summary>
public sealed class VerificationChallenge
{
    private VerificationChallenge()
    {
        PhoneE164 = string.Empty;
        CodeHash = [];
    }

    public Guid Id { get; private init; }

    /// <summary>The signed-in customer who asked; null for a sign-in, where nobody is known until the code is right.</summary>
    public Guid? CustomerId { get; private set; }

    /// <summary>The browser's sign-in attempt that asked (one per page visit); null for a signed-in customer.</summary>
    public Guid? FlowId { get; private init; }

    public string PhoneE164 { get; private init; }

    public byte[] CodeHash { get; private init; }

    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>The IP address that asked for the code, for the per-IP cap.</summary>
    public string? RequestIp { get; private init; }

    public DateTimeOffset ExpiresAt { get; private init; }

    public int FailedAttempts { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public static VerificationChallenge Create(Guid id, Guid customerId, string phoneE164, byte[] codeHash, DateTimeOffset now, VerificationPolicy policy, string? requestIp = null) =>
        New(id, customerId, null, phoneE164, codeHash, now, policy, requestIp);

    /// <summary>A code for a browser that is signing in with <paramref name="phoneE164"/>.</summary>
    public static VerificationChallenge ForSignIn(Guid id, Guid flowId, string phoneE164, byte[] codeHash, DateTimeOffset now, VerificationPolicy policy, string? requestIp = null) =>
        New(id, null, flowId, phoneE164, codeHash, now, policy, requestIp);

    private static VerificationChallenge New(Guid id, Guid? customerId, Guid? flowId, string phoneE164, byte[] codeHash, DateTimeOffset now, VerificationPolicy policy, string? requestIp)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new()
        {
            FlowId = flowId,
            RequestIp = requestIp is { Length: > 64 } ? requestIp[..64] : requestIp,
            Id = id,
            CustomerId = customerId,
            PhoneE164 = phoneE164,
            CodeHash = codeHash,
            CreatedAt = now,
            ExpiresAt = now + policy.CodeLifetime,
        };
    }

    /// <summary>A sign-in's code, once right, belongs to the customer it signed in (the staff console and erasure see it).</summary>
    public void AssignTo(Guid customerId) => CustomerId ??= customerId;

    public bool IsLocked(VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return FailedAttempts >= policy.MaxAttempts;
    }

    public int AttemptsLeft(VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Math.Max(0, policy.MaxAttempts - FailedAttempts);
    }

    /// <summary>
    /// Decides one attempt. The caller compares hashes in constant time and passes the result; the order of checks
    /// (used, locked, expired, then the code) means a locked or expired code never says whether a guess was right.
    /// </summary>
    public VerifyOutcome Attempt(bool codeMatches, DateTimeOffset now, VerificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (VerifiedAt is not null)
        {
            return VerifyOutcome.NoActiveCode;
        }

        if (IsLocked(policy))
        {
            return VerifyOutcome.TooManyAttempts;
        }

        if (now >= ExpiresAt)
        {
            return VerifyOutcome.Expired;
        }

        if (!codeMatches)
        {
            FailedAttempts++;
            return IsLocked(policy) ? VerifyOutcome.TooManyAttempts : VerifyOutcome.WrongCode;
        }

        VerifiedAt = now;
        return VerifyOutcome.Verified;
    }
}
