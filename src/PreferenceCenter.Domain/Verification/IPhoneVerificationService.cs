using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Domain.Verification;

public sealed record SendCodeResult(SendDecision Decision, DateTimeOffset? ExpiresAt)
{
    public bool Sent => Decision.IsAllowed;
}

public sealed record VerifyCodeResult(VerifyOutcome Outcome, int AttemptsLeft, string? PhoneE164 = null, int ConsentsRevoked = 0);

public sealed record PendingVerification(string PhoneE164, DateTimeOffset ExpiresAt, int AttemptsLeft);

public sealed record VerifiedPhone(string PhoneE164, DateTimeOffset VerifiedAt);

/// <summary>Proves that a customer owns a number by a code sent to it.</summary>
public interface IPhoneVerificationService
{
    /// <param name="customerId">Who asks.</param>
    /// <param name="number">Where the code goes.</param>
    /// <param name="requestIp">The caller's IP address, for the per-IP cap (null when unknown).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<SendCodeResult> SendCodeAsync(Guid customerId, PhoneNumber number, string? requestIp = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a code. On success the number becomes the customer's current one; consents tied to an older number are revoked.</summary>
    Task<VerifyCodeResult> VerifyAsync(Guid customerId, string code, ConsentEvidence evidence, CancellationToken cancellationToken = default);

    Task<PendingVerification?> GetPendingAsync(Guid customerId, CancellationToken cancellationToken = default);

    Task<VerifiedPhone?> GetCurrentNumberAsync(Guid customerId, CancellationToken cancellationToken = default);
}
