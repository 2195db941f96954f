using System.Globalization;
using System.Text;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Budgets;

/// <summary>One priced item of a check: a spec's headline figure, or a total given directly.</summary>
public sealed record CheckItem(string Name, string Origin, string Figure, Money Amount);

public sealed record BudgetCheckInput
{
    public required IReadOnlyList<CheckItem> Items { get; init; }

    public required Money Budget { get; init; }

    /// <summary>Spend already incurred in the budget's period (from <see cref="IActualSpendSource"/>); null when not known.</summary>
    public Money? SpentToDate { get; init; }

    /// <summary>What <see cref="SpentToDate"/> covers (budget scope and period), for the output; null when it was given directly.</summary>
    public SpendToDateBasis? SpentBasis { get; init; }

    public IReadOnlyList<CheckItem>? Baseline { get; init; }

    /// <summary>The largest allowed increase over the baseline, in percent (10 = +10%).</summary>
    public decimal? MaxIncreasePercent { get; init; }

    /// <summary>A configured budget on this scope that is exceeded and whose <c>on_exceed.fail_check</c> fails every check on it.</summary>
    public string? EnforcedBy { get; init; }
}

/// <summary>Where a spend to date comes from: imported actuals of a budget scope from the period's start to <paramref name="AsOf"/> (inclusive).</summary>
public sealed record SpendToDateBasis(BudgetScope Scope, BudgetPeriod Period, DateOnly AsOf, bool AnyLineItems, DateTime? ActualsThrough)
{
    /// <summary>True when the imported actuals stop before the end of <see cref="AsOf"/>: billing exports lag, so spend since is missing.</summary>
    public bool ActualsEndBeforeToday(out DateTime through)
    {
        through = ActualsThrough ?? default;
        return ActualsThrough is { } t && t < AsOf.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    }
}

public sealed record BudgetCheckResult(
    BudgetCheckInput Input,
    Money Total,
    Money Available,
    Money Headroom,
    Money? BaselineTotal,
    decimal? IncreasePercent,
    bool OverBudget,
    bool OverMaxIncrease,
    IReadOnlyList<string> Reasons)
{
    /// <summary>Fails because a configured budget on the scope is exceeded and says to fail checks (<c>on_exceed.fail_check</c>).</summary>
    public bool Enforced => Input.EnforcedBy is not null;

    public bool Passed => !OverBudget && !OverMaxIncrease && !Enforced;
}

/// <summary>The CI cost gate: do the estimated costs fit the budget, and did they grow more than allowed over a baseline.</summary>
public static class BudgetCheck
{
    public static BudgetCheckResult Evaluate(BudgetCheckInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var currency = input.Budget.Currency;
        var total = input.Items.Aggregate(Money.Zero(currency), (sum, item) => sum + item.Amount);
        var available = input.SpentToDate is { } spent ? input.Budget - spent : input.Budget;
        var headroom = available - total;
        var reasons = new List<string>();
        var overBudget = total.Amount > available.Amount;
        if (overBudget)
        {
            reasons.Add(input.SpentToDate is { } spentToDate
                ? Invariant($"Estimated {Show(total)} exceeds the remaining budget of {Show(available)} ({Show(input.Budget)} budget − {Show(spentToDate)} spent to date) by {Show(total - available)}.")
                : Invariant($"Estimated {Show(total)} exceeds the budget of {Show(available)} by {Show(total - available)}."));
        }

        if (input.EnforcedBy is { } enforced)
        {
            reasons.Add(input.SpentToDate is { } spentNow
                ? Invariant($"Budget {enforced} is exceeded ({Show(spentNow)} spent of {Show(input.Budget)}) and its on_exceed.fail_check fails every check on its scope until the period ends.")
                : Invariant($"Budget {enforced} is exceeded and its on_exceed.fail_check fails every check on its scope until the period ends."));
        }

        Money? baselineTotal = null;
        decimal? increase = null;
        var overIncrease = false;
        if (input.Baseline is { } baseline)
        {
            var b = baseline.Aggregate(Money.Zero(currency), (sum, item) => sum + item.Amount);
            baselineTotal = b;
            if (b.Amount != 0)
            {
                increase = (total.Amount - b.Amount) / b.Amount * 100m;
            }

            if (input.MaxIncreasePercent is { } max)
            {
                overIncrease = increase is { } pct ? pct > max : total.Amount > 0;
                if (overIncrease)
                {
                    reasons.Add(increase is { } p
                        ? Invariant($"Cost rises {p:0.##}% over the baseline ({Show(b)} → {Show(total)}), above the allowed {max:0.##}%.")
                        : Invariant($"The baseline costs nothing, so any cost ({Show(total)}) is above the allowed {max:0.##}% increase."));
                }
            }
        }

        return new BudgetCheckResult(input, total, available, headroom, baselineTotal, increase, overBudget, overIncrease, reasons);
    }

    /// <summary>A Markdown summary for a pull-request comment.</summary>
    public static string ToMarkdown(BudgetCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        md.AppendLine(result.Passed ? "## ✅ ModelMeter cost check passed" : "## ❌ ModelMeter cost check failed").AppendLine();
        foreach (var reason in result.Reasons)
        {
            md.Append("- ").AppendLine(reason);
        }

        if (result.Reasons.Count > 0)
        {
            md.AppendLine();
        }

        md.AppendLine("| item | figure | cost |").AppendLine("| --- | --- | ---: |");
        foreach (var item in result.Input.Items)
        {
            md.AppendLine(Invariant($"| {Cell(item.Name)} (`{Cell(item.Origin)}`) | {Cell(item.Figure)} | {Show(item.Amount)} |"));
        }

        md.AppendLine(Invariant($"| **total** | | **{Show(result.Total)}** |")).AppendLine();
        var basis = result.Input.SpentBasis;
        if (basis is not null)
        {
            md.Append(Invariant($"Budget scope `{Cell(basis.Scope.Label)}`, {basis.Period.Kind.ToString().ToLowerInvariant()} {basis.Period.Label}: "))
                .AppendLine(Invariant($"spent to date is the EffectiveCost of imported actuals charged {basis.Period.Start:yyyy-MM-dd} to {basis.AsOf:yyyy-MM-dd}."));
            if (!basis.AnyLineItems)
            {
                md.AppendLine(Invariant($"No imported line item matches the scope in {basis.Period.Label}, so nothing counts as spent: check the scope and that the period's actuals are imported."));
            }
            else if (basis.ActualsEndBeforeToday(out var through))
            {
                md.AppendLine(Invariant($"The imported actuals end at {through:yyyy-MM-dd HH:mm} UTC: later charges are not counted until they are imported."));
            }

            md.AppendLine();
        }

        md.AppendLine("| budget | amount |").AppendLine("| --- | ---: |");
        md.AppendLine(basis is null
            ? Invariant($"| budget | {Show(result.Input.Budget)} |")
            : Invariant($"| budget, {basis.Period.Label}, `{Cell(basis.Scope.Label)}` | {Show(result.Input.Budget)} |"));
        if (result.Input.SpentToDate is { } spent)
        {
            md.AppendLine(basis is null
                ? Invariant($"| spent to date | {Show(spent)} |")
                : Invariant($"| spent to date ({basis.Period.Start:yyyy-MM-dd} to {basis.AsOf:yyyy-MM-dd}) | {Show(spent)} |"));
            md.AppendLine(Invariant($"| remaining | {Show(result.Available)} |"));
        }

        md.AppendLine(Invariant($"| estimated | {Show(result.Total)} |"));
        md.AppendLine(Invariant($"| headroom | {Show(result.Headroom)} |"));
        if (result.BaselineTotal is { } baseline)
        {
            md.AppendLine(Invariant($"| baseline | {Show(baseline)} |"));
            md.AppendLine(Invariant($"| change | {(result.IncreasePercent is { } p ? $"{p:+0.##;-0.##;0}%" : "n/a (baseline is zero)")} |"));
            if (result.Input.MaxIncreasePercent is { } max)
            {
                md.AppendLine(Invariant($"| allowed increase | {max:0.##}% |"));
            }
        }

        md.AppendLine(Invariant($"| verdict | {Verdict(result)} |"));
        return md.ToString();
    }

    /// <summary>The outcome in words: <c>within budget</c>, <c>over budget</c>, <c>over the allowed increase</c> or both.</summary>
    public static string Verdict(BudgetCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Enforced && !result.OverBudget && !result.OverMaxIncrease)
        {
            return "budget exceeded (on_exceed.fail_check)";
        }

        return (result.OverBudget, result.OverMaxIncrease) switch
        {
            (false, false) => "within budget",
            (true, false) => "over budget",
            (false, true) => "over the allowed increase",
            (true, true) => "over budget and over the allowed increase",
        };
    }

    public static string Show(Money money) => MoneyText.WithCurrency(money);

    private static string Cell(string text) => Text.MarkdownText.Cell(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
