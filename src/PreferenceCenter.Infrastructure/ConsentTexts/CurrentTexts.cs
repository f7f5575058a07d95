using Microsoft.EntityFrameworkCore;
using PreferenceCenter.Domain.Consents;
using PreferenceCenter.Infrastructure.Persistence;

namespace PreferenceCenter.Infrastructure.ConsentTexts;

/// <summary>The one rule for "the wording shown now": each purpose's newest published version in the language, else in English.</summary>
internal static class CurrentTexts
{
    /// <summary>On <paramref name="db"/> (so inside a caller's transaction when it has one), for <paramref name="purposes"/> in their order.</summary>
    public static async Task<IReadOnlyList<ConsentText>> ReadAsync(PreferenceCenterDbContext db, IEnumerable<Purpose> purposes, string? language, CancellationToken cancellationToken)
    {
        var lang = string.IsNullOrWhiteSpace(language) ? "en" : language.Trim().ToLowerInvariant();
        var texts = await db.ConsentTexts.AsNoTracking().Where(t => t.Status == ConsentTextStatus.Published && (t.Language == lang || t.Language == "en")).ToListAsync(cancellationToken);
        return purposes
            .Select(p => texts.Where(t => t.Purpose == p)
                .OrderByDescending(t => t.Language == lang)
                .ThenByDescending(t => t.Version)
                .FirstOrDefault())
            .OfType<ConsentText>()
            .ToList();
    }
}
