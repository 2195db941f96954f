using ModelMeter.Core.Errors;

namespace ModelMeter.Store;

/// <summary>
/// The one limit every store keeps at import: each sum a report can take of the store must fit Decimal(38, 18) (20 digits
/// before the point), so per currency and cost column the amounts of the whole store with the new import, credits
/// counted as positive, must add up to less than 10^20. Stores check it with a float sum of absolute values, a bound that
/// cannot overflow; the 1% margin covers its rounding.
/// </summary>
public static class StoreTotalsLimit
{
    /// <summary>The cost columns whose totals are checked.</summary>
    public static readonly IReadOnlyList<string> Columns = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"];

    /// <summary>The float bound on a column's sum of absolute values in one currency.</summary>
    public const double Bound = 0.99e20;

    /// <summary>Refuses the import when a float sum of absolute values reaches the bound.</summary>
    public static void Check(string currency, string column, double absoluteSum)
    {
        if (absoluteSum >= Bound)
        {
            throw new UserInputException(
                $"With this import the store's {column} amounts in {currency} would add up to about 10^20 or more (credits counted as positive), beyond what its DECIMAL(38,18) totals can hold; nothing was imported. No bill is that large: check the file's amounts.");
        }
    }
}
