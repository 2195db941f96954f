using System.Collections.Frozen;

namespace ModelMeter.Core.Billing;

/// <summary>The FOCUS versions a conformance rule is stated in.</summary>
[Flags]
public enum FocusVersions
{
    None = 0,
    Focus10 = 1,
    Focus11 = 2,
    Focus12 = 4,
    Focus13 = 8,
    Focus14 = 16,
    All = Focus10 | Focus11 | Focus12 | Focus13 | Focus14,
    UpTo11 = Focus10 | Focus11,
    UpTo12 = Focus10 | Focus11 | Focus12,
    From11 = Focus11 | Focus12 | Focus13 | Focus14,
    From12 = Focus12 | Focus13 | Focus14,
    From13 = Focus13 | Focus14,
}

/// <summary>What a rule requires of its column on the rows its condition selects.</summary>
public enum ConformanceCheck
{
    /// <summary>The column has a value.</summary>
    NotNull,

    /// <summary>The column is null.</summary>
    Null,

    /// <summary>When not null, the value as written (trimmed) is one of <see cref="FocusConformanceRule.Values"/>, in that exact case.</summary>
    OneOf,

    /// <summary>The value is not <see cref="FocusConformanceRule.Values"/>' single entry (compared ignoring case).</summary>
    NotEqual,

    /// <summary>When not null, the value is an ISO 4217 code written in upper case.</summary>
    CurrencyFormat,

    /// <summary>The column's instant is after <see cref="FocusConformanceRule.Other"/>'s (an exclusive end after its start).</summary>
    AfterOther,

    /// <summary>A known value of the column has <see cref="FocusConformanceRule.Other"/>'s value as its parent (<see cref="FocusConformanceRule.Parents"/>).</summary>
    ParentIsOther,
}

/// <summary>Which rows a rule applies to. Conditions read ChargeCategory and ChargeClass in their FOCUS spelling.</summary>
public enum ConformanceCondition
{
    Always,
    ChargeCategoryIsTax,
    ChargeCategoryIsPurchase,
    ChargeCategoryIsNotUsage,

    /// <summary>ChargeCategory is Usage or Purchase and ChargeClass is not Correction.</summary>
    UsageOrPurchaseNotCorrection,

    /// <summary>ChargeCategory is Usage and ChargeClass is not Correction.</summary>
    UsageNotCorrection,

    /// <summary>ChargeCategory is Usage, CommitmentDiscountStatus is not Unused and ChargeClass is not Correction.</summary>
    UsageNotUnusedNotCorrection,

    /// <summary>ChargeCategory is not Usage, or it is Usage and CommitmentDiscountStatus is Unused.</summary>
    NotUsageOrUnusedCommitment,

    /// <summary><see cref="FocusConformanceRule.Other"/> is null (or absent from the file).</summary>
    OtherIsNull,

    /// <summary><see cref="FocusConformanceRule.Other"/> is not null.</summary>
    OtherIsNotNull,

    /// <summary><see cref="FocusConformanceRule.Other"/> is not null and ChargeCategory is Usage.</summary>
    OtherIsNotNullAndUsage,
}

/// <summary>
/// One FOCUS requirement that a readable value can break: the row is imported as written and the break is reported,
/// as the FOCUS validator reports it. The rules themselves are listed in <see cref="FocusConformanceRules"/>.
/// </summary>
/// <param name="Id">The FOCUS validator's rule id (<c>ContractedCost-C-003-M</c>), or ModelMeter's own (<c>Column.Name</c>) where the validator has none.</param>
/// <param name="Text">The requirement as the specification states it.</param>
/// <param name="Versions">The FOCUS versions that state it.</param>
/// <param name="Column">The column the requirement is about; a rule whose column is not in the file does not apply.</param>
/// <param name="Check">What the requirement asks of <paramref name="Column"/>.</param>
/// <param name="When">The rows it applies to.</param>
/// <param name="Other">The second column a check or condition reads.</param>
/// <param name="Values">Allowed values (<see cref="ConformanceCheck.OneOf"/>) or the forbidden value (<see cref="ConformanceCheck.NotEqual"/>).</param>
/// <param name="Parents">For <see cref="ConformanceCheck.ParentIsOther"/>: each value's parent.</param>
public sealed record FocusConformanceRule(
    string Id,
    string Text,
    FocusVersions Versions,
    string Column,
    ConformanceCheck Check,
    ConformanceCondition When = ConformanceCondition.Always,
    string? Other = null,
    FrozenSet<string>? Values = null,
    FrozenDictionary<string, string>? Parents = null)
{
    /// <summary>Every column the rule reads, the checked one first: what a finding names.</summary>
    public IReadOnlyList<string> Columns { get; } = ColumnsOf(Column, When, Other);

    private static string[] ColumnsOf(string column, ConformanceCondition when, string? other)
    {
        var columns = new List<string> { column };
        if (other is not null)
        {
            columns.Add(other);
        }

        switch (when)
        {
            case ConformanceCondition.ChargeCategoryIsTax or ConformanceCondition.ChargeCategoryIsPurchase or ConformanceCondition.ChargeCategoryIsNotUsage
                or ConformanceCondition.OtherIsNotNullAndUsage:
                columns.Add("ChargeCategory");
                break;
            case ConformanceCondition.UsageOrPurchaseNotCorrection or ConformanceCondition.UsageNotCorrection:
                columns.Add("ChargeCategory");
                columns.Add("ChargeClass");
                break;
            case ConformanceCondition.UsageNotUnusedNotCorrection:
                columns.Add("ChargeCategory");
                columns.Add("CommitmentDiscountStatus");
                columns.Add("ChargeClass");
                break;
            case ConformanceCondition.NotUsageOrUnusedCommitment:
                columns.Add("ChargeCategory");
                columns.Add("CommitmentDiscountStatus");
                break;
        }

        return columns.Distinct(StringComparer.Ordinal).ToArray();
    }
}
