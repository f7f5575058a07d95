using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;

namespace PreferenceCenter.Infrastructure.Persistence;

/// <summary>
/// EF's foreign-key index convention, except for a key marked <see cref="Annotation"/>: an index there would be
/// written by every insert and read only when its parent row is deleted (ADR 40).
/// </summary>
internal sealed class UnindexedForeignKeyConvention(ProviderConventionSetBuilderDependencies dependencies) : ForeignKeyIndexConvention(dependencies)
{
    public const string Annotation = "PreferenceCenter:UnindexedForeignKey";

    protected override IConventionIndex? CreateIndex(IReadOnlyList<IConventionProperty> properties, bool unique, IConventionEntityTypeBuilder entityTypeBuilder) =>
        properties is [{ } property] && property.FindAnnotation(Annotation) is not null
            ? null
            : base.CreateIndex(properties, unique, entityTypeBuilder);
}
