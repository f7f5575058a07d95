namespace PreferenceCenter.Domain.Customers;

/// <summary>A number a customer proved they own. At most one is current (not replaced) per customer.</summary>
public sealed class CustomerPhone
{
    private CustomerPhone()
    {
        PhoneE164 = string.Empty;
    }

    public Guid Id { get; private init; }

    public Guid CustomerId { get; private init; }

    public string PhoneE164 { get; private init; }

    public DateTimeOffset VerifiedAt { get; private init; }

    /// <summary>When the customer verified another number instead; null while current.</summary>
    public DateTimeOffset? ReplacedAt { get; private set; }

    public bool IsCurrent => ReplacedAt is null;

    public static CustomerPhone Verified(Guid customerId, string phoneE164, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), CustomerId = customerId, PhoneE164 = phoneE164, VerifiedAt = now };

    public void Replace(DateTimeOffset now) => ReplacedAt ??= now;
}
