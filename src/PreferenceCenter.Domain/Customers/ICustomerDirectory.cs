namespace PreferenceCenter.Domain.Customers;

public interface ICustomerDirectory
{
    /// <summary>The customer of a signed-in account, created on first use.</summary>
    Task<Guid> GetOrCreateForUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Remembers the language a customer chose (<see cref="Customer.PreferredLanguage"/>).</summary>
    Task SetPreferredLanguageAsync(Guid customerId, string language, CancellationToken cancellationToken = default);

    /// <summary>Remembers the language the customer of a signed-in account chose; nothing if the account has no customer yet.</summary>
    Task SetPreferredLanguageForUserAsync(string userId, string language, CancellationToken cancellationToken = default);
}
