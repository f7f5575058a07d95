namespace PreferenceCenter.Domain.Customers;

/// <summary>
/// A number a customer proved they own, or (imported) one another system's records gave us for an imported customer
/// and nobody has verified here yet. At most one is current (not replaced) per customer.
/// </summary>
public sealed class CustomerPhone
{
    private CustomerPhone()
    {
        PhoneE164 = string.Empty;
    }

    public Guid Id { get; private init; }

    public Guid CustomerId { get; private init; }

    public string PhoneE164 { get; private init; }

    /// <summary>When the code was verified; for an imported number, when the import recorded it.</summary>
    public DateTimeOffset VerifiedAt { get; private init; }

    /// <summary>"Imported, not verified": the number came from another system's records (ADR 13).</summary>
    public bool IsImported { get; private init; }

    /// <summary>When the customer verified another number instead; null while current.</summary>
    public DateTimeOffset? ReplacedAt { get; private set; }

    public bool IsCurrent => ReplacedAt is null;

    public static CustomerPhone Verified(Guid customerId, string phoneE164, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), CustomerId = customerId, PhoneE164 = phoneE164, VerifiedAt = now };

    public static CustomerPhone Imported(Guid customerId, string phoneE164, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), CustomerId = customerId, PhoneE164 = phoneE164, VerifiedAt = now, IsImported = true };

    public void Replace(DateTimeOffset now) => ReplacedAt ??= now;
}
