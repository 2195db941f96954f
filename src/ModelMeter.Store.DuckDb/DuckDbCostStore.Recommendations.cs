namespace ModelMeter.Store.DuckDb;

/// <summary>The per-resource daily aggregates the recommendation rules decide on.</summary>
public sealed partial class DuckDbCostStore
{
    public IReadOnlyList<ResourceDay> QueryResourceDays(DateTime first, DateTime until)
    {
        var parameters = new List<(string Name, object? Value)>();
        var quantity = "coalesce(ConsumedQuantity, PricingQuantity, 0)";
        var sql = "SELECT CAST(ChargePeriodStart AS DATE), ResourceId, BillingCurrency, max(ProviderName), max(ResourceName), max(ResourceType), max(ServiceName), " +
                  "max(ServiceCategory), max(SkuId), max(PricingCategory), max(RegionId), max(AvailabilityZone), max(SubAccountId), max(SubAccountName), max(PricingUnit), " +
                  $"coalesce(sum({quantity}), 0), coalesce(min({quantity}), 0), coalesce(max({quantity}), 0), count(DISTINCT ChargePeriodStart), " +
                  "coalesce(sum(EffectiveCost), 0), coalesce(sum(ListCost), 0) " +
                  $"FROM {LineItemsTable.Name} WHERE ChargeCategory = 'Usage' AND ResourceId IS NOT NULL AND ResourceId <> '' " +
                  $"AND ChargePeriodStart >= {Add(parameters, "from", Unspecified(first))} AND ChargePeriodStart < {Add(parameters, "to", Unspecified(until))} " +
                  "GROUP BY 1, 2, 3 ORDER BY 2, 1, 3";
        using var command = Command(sql, parameters.ToArray());
        using var reader = command.ExecuteReader();
        var days = new List<ResourceDay>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            days.Add(new ResourceDay(
                DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), Text(3), Text(4), Text(5), Text(6), Text(7), Text(8), Text(9),
                Text(10), Text(11), Text(12), Text(13), Text(14), reader.GetDecimal(15), reader.GetDecimal(16), reader.GetDecimal(17), reader.GetInt64(18),
                reader.GetDecimal(19), reader.GetDecimal(20)));
        }

        return days;
    }
}
