using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Domain.Messaging;
using PreferenceCenter.Infrastructure.Persistence;
using PreferenceCenter.Infrastructure.Security;

namespace PreferenceCenter.Infrastructure.Messaging;

/// <summary>The one place that adds active suppressions, inside the caller's transaction.</summary>
internal static class Suppressions
{
    /// <summary>Suppresses the number for each purpose not already suppressed; returns how many were new.</summary>
    public static async Task<int> SuppressAsync(PreferenceCenterDbContext db, PhoneIndex index, string phoneE164, IEnumerable<Purpose> purposes, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = index.KeyOf(phoneE164);
        var active = await db.SmsSuppressions.Where(s => s.PhoneKey == key && s.LiftedAt == null).Select(s => s.Purpose).ToListAsync(cancellationToken);
        var added = 0;
        foreach (var purpose in purposes.Except(active))
        {
            db.SmsSuppressions.Add(SmsSuppression.Create(phoneE164, key, purpose, source, now));
            added++;
        }

        return added;
    }
}
