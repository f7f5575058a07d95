namespace PreferenceCenter.Domain.Customers;

/// <summary>What an erasure did, for the confirmation page and the log (counts only: no personal data).</summary>
public sealed record ErasureReport(Guid CustomerId, bool AlreadyErased, int ConsentsRevoked, int EventsErased, int SuppressionsKept);

/// <summary>GDPR Art. 17: removes a customer's personal data while the consent ledger keeps its proof (ADR 9).</summary>
public interface ICustomerErasure
{
    /// <summary>Erases the customer of a signed-in account; null when the account never had a customer record.</summary>
    Task<ErasureReport?> EraseForUserAsync(string userId, CancellationToken cancellationToken = default);

    Task<ErasureReport> EraseAsync(Guid customerId, CancellationToken cancellationToken = default);
}
