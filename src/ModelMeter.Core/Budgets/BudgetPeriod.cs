using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Budgets;

public enum BudgetPeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>A calendar budget period (UTC): a month, a quarter or a year, as the half-open range [Start, End).</summary>
public sealed record BudgetPeriod(BudgetPeriodKind Kind, DateOnly Start, DateOnly End)
{
    /// <summary>How the period is shown: <c>2026-07</c>, <c>2026-Q3</c>, <c>2026</c>.</summary>
    public string Label => Kind switch
    {
        BudgetPeriodKind.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        BudgetPeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Start.Year}-Q{((Start.Month - 1) / 3) + 1}"),
        _ => Start.Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The period of the given kind that contains <paramref name="day"/>.</summary>
    public static BudgetPeriod Containing(BudgetPeriodKind kind, DateOnly day)
    {
        var start = kind switch
        {
            BudgetPeriodKind.Month => new DateOnly(day.Year, day.Month, 1),
            BudgetPeriodKind.Quarter => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1),
            BudgetPeriodKind.Year => new DateOnly(day.Year, 1, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var months = kind switch { BudgetPeriodKind.Month => 1, BudgetPeriodKind.Quarter => 3, _ => 12 };
        return new BudgetPeriod(kind, start, start.AddMonths(months));
    }

    /// <summary><c>--period month|quarter|year</c>; month when not given.</summary>
    public static BudgetPeriodKind ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "month" or "monthly" => BudgetPeriodKind.Month,
        "quarter" or "quarterly" => BudgetPeriodKind.Quarter,
        "year" or "yearly" or "annual" => BudgetPeriodKind.Year,
        _ => throw new UserInputException($"--period '{text}' is not a budget period; use month, quarter or year."),
    };
}
