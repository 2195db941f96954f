using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Budgets;

/// <summary>
/// Spend already incurred for a budget scope in a period, from imported actuals (billing line items in the store).
/// The CI gate subtracts it from the budget to get what is left for the change being checked.
/// Implemented by the store (not yet wired into <c>modelmeter check</c>).
/// </summary>
public interface IActualSpendSource
{
    /// <param name="scope">A dimension filter such as <c>team=search</c>, in the syntax of <c>--where</c>.</param>
    /// <param name="periodStart">First day of the period, inclusive (UTC).</param>
    /// <param name="asOf">Last day counted, inclusive (UTC): usually today.</param>
    Task<Money> SpendToDateAsync(string scope, DateOnly periodStart, DateOnly asOf, CancellationToken cancellationToken);
}
