namespace PreferenceCenter.Domain.Customers;

public interface ICustomerDirectory
{
    /// <summary>The customer of a signed-in account, created on first use.</summary>
    Task<Guid> GetOrCreateForUserAsync(string userId, CancellationToken cancellationToken = default);
}
