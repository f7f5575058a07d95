namespace PreferenceCenter.Domain.Customers;

/// <summary>
/// The per-customer key for the digest of personal fields in the consent log. Deleting it (erasure) leaves the
/// digests unlinkable to any number while the chain still verifies.
/// </summary>
public sealed class CustomerLedgerKey
{
    private CustomerLedgerKey()
    {
        Key = [];
    }

    public Guid CustomerId { get; private init; }

    public byte[] Key { get; private init; }

    public static CustomerLedgerKey Create(Guid customerId) =>
        new() { CustomerId = customerId, Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) };
}
