using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Phones;

namespace PreferenceCenter.Domain.Verification;

public sealed record SendCodeResult(SendDecision Decision, DateTimeOffset? ExpiresAt)
{
    public bool Sent => Decision.IsAllowed;
}

public sealed record VerifyCodeResult(VerifyOutcome Outcome, int AttemptsLeft, string? PhoneE164 = null, int ConsentsRevoked = 0);

/// <summary>A sign-in code's check: on success, the one-time token the browser trades for its cookie.</summary>
public sealed record SignInCodeResult(VerifyCodeResult Result, string? LinkToken);

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

    /// <summary>Sends a code to a number someone wants to sign in with; the same limits as any code.</summary>
    /// <param name="flowId">This browser's sign-in attempt (the page's own id for it).</param>
    /// <param name="number">Where the code goes.</param>
    /// <param name="requestIp">The caller's IP address, for the per-IP cap (null when unknown).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<SendCodeResult> SendSignInCodeAsync(Guid flowId, PhoneNumber number, string? requestIp = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a sign-in code. On success the number's holder (or a new one, ADR 23) is who the token signs in.</summary>
    Task<SignInCodeResult> VerifySignInAsync(Guid flowId, string code, CancellationToken cancellationToken = default);

    Task<PendingVerification?> GetPendingAsync(Guid customerId, CancellationToken cancellationToken = default);

    Task<VerifiedPhone?> GetCurrentNumberAsync(Guid customerId, CancellationToken cancellationToken = default);
}
