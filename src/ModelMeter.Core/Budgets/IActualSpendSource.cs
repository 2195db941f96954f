using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Budgets;

/// <summary>
/// Spend already incurred for a budget scope in a period, from imported actuals (billing line items in the store).
/// The CI gate subtracts it from the budget to get what is left for the change being checked.
/// </summary>
public interface IActualSpendSource
{
    /// <summary>
    /// EffectiveCost of the line items matching every condition of <paramref name="scope"/> whose ChargePeriodStart falls
    /// on or after <paramref name="periodStart"/> and on or before <paramref name="asOf"/>, per billing currency.
    /// </summary>
    /// <param name="periodStart">First day of the period, inclusive (UTC).</param>
    /// <param name="asOf">Last day counted, inclusive (UTC): usually today.</param>
    Task<ActualSpend> SpendToDateAsync(BudgetScope scope, DateOnly periodStart, DateOnly asOf, CancellationToken cancellationToken);
}

/// <summary>
/// What a scope has spent, one amount per billing currency (currencies are never added), and the last charge time
/// the imported actuals reach, so a stale import is visible next to the figure.
/// </summary>
public sealed record ActualSpend(IReadOnlyList<Money> ByCurrency, DateTime? ActualsThrough)
{
    /// <summary>True when no imported line item matched the scope in the period.</summary>
    public bool IsEmpty => ByCurrency.Count == 0;

    /// <summary>
    /// The spend in the budget's currency: zero when nothing matched; refused when the spend is in another currency
    /// or in several, since ModelMeter does not convert currencies.
    /// </summary>
    public Money In(string budgetCurrency, BudgetScope scope, BudgetPeriod period)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(period);
        if (ByCurrency.Count == 0)
        {
            return Money.Zero(budgetCurrency);
        }

        if (ByCurrency.Count > 1)
        {
            throw new UserInputException(
                $"--scope {scope.Label} has spend in several billing currencies in {period.Label} " +
                $"({string.Join(", ", ByCurrency.Select(BudgetCheck.Show))}) and ModelMeter does not convert currencies; " +
                "narrow the scope to one, e.g. add --scope BillingCurrency=" + budgetCurrency + " or --scope BillingAccountId=ACCOUNT.");
        }

        var spent = ByCurrency[0];
        if (!string.Equals(spent.Currency, budgetCurrency, StringComparison.Ordinal))
        {
            throw new UserInputException(
                $"--scope {scope.Label} is billed in {spent.Currency} ({BudgetCheck.Show(spent)} in {period.Label}) but the budget is in {budgetCurrency}; " +
                $"give the budget in {spent.Currency} with --currency {spent.Currency} (ModelMeter does not convert currencies).");
        }

        return spent;
    }
}
