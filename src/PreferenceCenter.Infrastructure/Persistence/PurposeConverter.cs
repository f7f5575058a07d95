using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PreferenceCenter.Domain.Consents;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>Stores a purpose as its key, the same text the enum was stored as before purposes became data.</summary>
internal sealed class PurposeConverter() : ValueConverter<Purpose, string>(p => p.Key, key => Purpose.FromKey(key));
