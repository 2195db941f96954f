using System.Reflection;
using System.Runtime.CompilerServices;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Core.Tests.Allocation;

/// <summary>The decision types are values: once built, nothing can change them (explanations must stay true).</summary>
public class ImmutabilityTests
{
    public static TheoryData<string> DecisionNamespaces => new() { "ModelMeter.Core.Allocation", "ModelMeter.Core.Attribution", "ModelMeter.Core.Monetary" };

    [Theory]
    [MemberData(nameof(DecisionNamespaces))]
    public void PublicTypes_HaveNoPublicSettersBeyondInit(string ns)
    {
        var types = typeof(AllocationEngine).Assembly.GetExportedTypes().Where(t => t.Namespace == ns).ToList();
        types.ShouldNotBeEmpty();

        var mutable = types
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(p => (t, p)))
            .Where(x => x.p.SetMethod is { IsPublic: true } setter
                && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
            .Select(x => $"{x.t.Name}.{x.p.Name}")
            .ToList();

        mutable.ShouldBeEmpty();
    }
}
