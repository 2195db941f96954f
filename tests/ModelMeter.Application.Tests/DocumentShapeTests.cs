using System.Reflection;
using System.Runtime.CompilerServices;
using ModelMeter.Application;

namespace ModelMeter.Application.Tests;

/// <summary>
/// Design rules of the documents every host returns, checked by reflection (as NodaTime checks its own): a document is
/// an immutable record, so the CLI and the server cannot change a figure after the use case computed it.
/// </summary>
public sealed class DocumentShapeTests
{
    private static readonly Type[] PublicRecords = typeof(ServiceCollectionExtensions).Assembly.GetExportedTypes()
        .Where(t => t.GetMethod("<Clone>$") is not null)
        .ToArray();

    [Fact]
    public void TheApplicationHasDocuments()
    {
        PublicRecords.Length.ShouldBeGreaterThan(20);
    }

    [Fact]
    public void EveryPublicRecord_IsImmutable_NoPublicSetterButInit()
    {
        var mutable = PublicRecords
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.SetMethod is { IsPublic: true } setter && !IsInit(setter))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}")
            .ToList();

        mutable.ShouldBeEmpty();
    }

    [Fact]
    public void EveryPublicRecord_IsSealed()
    {
        PublicRecords.Where(t => !t.IsSealed).Select(t => t.Name).ShouldBeEmpty();
    }

    private static bool IsInit(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
