using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Customers;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.Customers;

public sealed class CustomerDirectory(IDbContextFactory<PreferenceCenterDbContext> dbFactory, TimeProvider clock) : ICustomerDirectory
{
    public async Task<Guid> GetOrCreateForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await FindAsync(db, userId, cancellationToken);
        if (existing is { } id)
        {
            return id;
        }

        var customer = Customer.ForUser(userId, clock.GetUtcNow());
        db.Customers.Add(customer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return customer.Id;
        }
        catch (DbUpdateException)
        {
            // Two tabs opened at once: the unique index on UserId let one of them create it.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await FindAsync(again, userId, cancellationToken) ?? throw new InvalidOperationException("Could not create the customer record.");
        }
    }

    public async Task SetPreferredLanguageAsync(Guid customerId, string language, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken) is { } customer)
        {
            customer.ChoosePreferredLanguage(language);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task SetPreferredLanguageForUserAsync(string userId, string language, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Customers.FirstOrDefaultAsync(c => c.UserId == userId, cancellationToken) is { } customer)
        {
            customer.ChoosePreferredLanguage(language);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static Task<Guid?> FindAsync(PreferenceCenterDbContext db, string userId, CancellationToken ct) =>
        db.Customers.Where(c => c.UserId == userId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
}
