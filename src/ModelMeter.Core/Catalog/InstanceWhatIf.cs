using System.Globalization;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Catalog;

/// <summary>A resource's observed hours repriced on another catalogue instance type.</summary>
/// <param name="Target">The catalogue instance repriced on.</param>
/// <param name="CurrentInstance">The catalogue instance the bill names (from the SKU), or null when the catalogue does not have it.</param>
/// <param name="Basis">
/// <c>bill_ratio</c>: the bill's own price × target ÷ current catalogue on-demand price (discounts, markups and spot carried
/// over); <c>on_demand</c>, <c>spot</c> or <c>commitment_1y</c>: the target's catalogue price of the resource's pricing category.
/// </param>
/// <param name="Hours">Instance-hours billed (the usage quantity summed).</param>
/// <param name="ActualHourly">What one of those hours cost on the bill: actual ÷ hours.</param>
/// <param name="WhatIfHourly">What one hour costs on the target.</param>
public sealed record InstanceRepricing(
    InstanceType Target,
    InstanceType? CurrentInstance,
    string Basis,
    decimal Hours,
    decimal ActualHourly,
    decimal WhatIfHourly,
    decimal ActualCost,
    decimal WhatIfCost,
    decimal Difference,
    IReadOnlyList<string> Working,
    IReadOnlyList<string> Notes);

/// <summary>
/// What-if on a resource's real hours: the instance-hours the bill charged, priced on another catalogue instance of the
/// same provider and currency. When the catalogue knows the instance the bill names, the bill's own hourly price is
/// scaled by the catalogue's ratio of the two on-demand prices (as <see cref="LowGpuRule"/> does), so a discount, a
/// managed-service markup or a spot price carries over; otherwise the hours are priced at the target's catalogue price
/// for the resource's pricing category (on-demand, spot, 1-year commitment). Pure.
/// </summary>
public static class InstanceWhatIf
{
    /// <summary>The catalogue's providers (<c>aws</c>, <c>azure</c>, <c>gcp</c>) for a FOCUS ProviderName; null when it is none of them.</summary>
    public static string? CatalogueProvider(string? providerName)
    {
        var name = providerName?.Trim().ToLowerInvariant() ?? "";
        return name switch
        {
            _ when name.Contains("aws", StringComparison.Ordinal) || name.Contains("amazon", StringComparison.Ordinal) => "aws",
            _ when name.Contains("microsoft", StringComparison.Ordinal) || name.Contains("azure", StringComparison.Ordinal) => "azure",
            _ when name.Contains("google", StringComparison.Ordinal) || name.Contains("gcp", StringComparison.Ordinal) => "gcp",
            _ => null,
        };
    }

    /// <summary>
    /// The target key as the catalogue spells it; refuses a key the catalogue does not have, or an instance of another
    /// provider, naming the instances of the resource's provider.
    /// </summary>
    public static InstanceType Target(PriceCatalog catalog, string key, ResourcePool resource)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(resource);
        var provider = CatalogueProvider(resource.Provider);
        var valid = catalog.Instances.Where(i => provider is null || string.Equals(i.Provider, provider, StringComparison.OrdinalIgnoreCase))
            .Select(i => i.Key).Order(StringComparer.Ordinal).ToList();
        var target = catalog.Instances.FirstOrDefault(i => string.Equals(i.Key, key.Trim(), StringComparison.OrdinalIgnoreCase));
        var where = provider is null ? "the catalogue's" : $"the catalogue's {provider}";
        if (target is null)
        {
            throw new UserInputException($"--as '{key}' is not an instance type in the price catalogue; {where} instances are: {string.Join(", ", valid)}.");
        }

        if (provider is not null && !string.Equals(target.Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException(
                $"--as '{target.Key}' is a {target.Provider} instance, but {resource.Name ?? resource.ResourceId} is billed by {resource.Provider}; {where} instances are: {string.Join(", ", valid)}.");
        }

        return target;
    }

    public static InstanceRepricing Reprice(PriceCatalog catalog, InstanceType target, ResourcePool resource)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(resource);
        var label = resource.Name ?? resource.ResourceId;
        if (!resource.IsHourly)
        {
            throw new UserInputException(
                $"{label} is billed in {resource.PricingUnit ?? "no unit"}, not hours: what-if instance reprices instance-hours (a VM, a notebook, an endpoint).");
        }

        if (!string.Equals(target.Currency, resource.Currency, StringComparison.Ordinal))
        {
            throw new UserInputException(
                $"{target.Key} is priced in {target.Currency} but {label} was billed in {resource.Currency}; what-if compares one currency (add {target.Key} in {resource.Currency} under prices.instances in modelmeter.yaml).");
        }

        var hours = resource.Quantity;
        var actual = resource.Cost;
        var actualHourly = hours == 0m ? 0m : Six(actual / hours);
        var notes = new List<string>();
        var current = resource.InstanceType is { } type
            ? catalog.Instances.FirstOrDefault(i => string.Equals(i.Key, type, StringComparison.OrdinalIgnoreCase) && i.Currency == target.Currency)
            : null;
        var working = new List<string>
        {
            $"{label}: {N(hours)} instance-hours billed ({resource.HoursBilled} charge periods), {M(actual, resource.Currency)} → {N(actualHourly)} {resource.Currency}/h on the bill"
                + (resource.SkuId is null ? "" : $" (SKU {resource.SkuId}, {resource.PricingCategory ?? "no pricing category"})"),
        };
        string basis;
        decimal whatIfHourly;
        if (current is not null)
        {
            basis = "bill_ratio";
            whatIfHourly = Six(RatioPrice(actualHourly, current, target));
            working.Add($"catalogue on-demand: {current.Key} {N(current.OnDemandPerHour)}, {target.Key} {N(target.OnDemandPerHour)} {target.Currency}/h ({target.Provenance.Source}, as of {target.Provenance.AsOf:yyyy-MM-dd})");
            working.Add($"{target.Key} at the bill's own ratio: {N(actualHourly)} × {N(target.OnDemandPerHour)} ÷ {N(current.OnDemandPerHour)} = {N(whatIfHourly)} {target.Currency}/h (discounts, markups and spot carried over)");
        }
        else
        {
            (basis, whatIfHourly) = resource.IsSpot && target.Spot is { } spot ? ("spot", spot.PerHour)
                : IsCommitted(resource.PricingCategory) && target.Commitment1y is { } committed ? ("commitment_1y", committed.PerHour)
                : ("on_demand", target.OnDemandPerHour);
            var source = basis switch
            {
                "spot" => target.Spot!.Basis,
                "commitment_1y" => target.Commitment1y!.Basis,
                _ => target.Provenance.Source,
            };
            working.Add($"the catalogue has no instance '{resource.InstanceType ?? resource.SkuId ?? "(no SKU)"}' to scale the bill's price by: {target.Key} at its catalogue {basis.Replace('_', ' ')} price, {N(whatIfHourly)} {target.Currency}/h ({source})");
            if (resource.IsSpot && basis != "spot")
            {
                notes.Add($"{label} ran on spot but the catalogue has no spot price for {target.Key}: priced on-demand.");
            }
        }

        var whatIf = Six(hours * whatIfHourly);
        var difference = whatIf - actual;
        working.Add($"{target.Key}: {N(hours)} h × {N(whatIfHourly)} {target.Currency}/h = {M(whatIf, target.Currency)}; actual {M(actual, resource.Currency)}; difference {M(difference, target.Currency)}");
        if (resource.Region is { Length: > 0 } region && !string.Equals(region, target.Region, StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"The catalogue prices {target.Key} in {target.Region}; {label} runs in {region}, where list prices differ"
                + (current is null ? "." : $": the bill's price is {region}'s, the catalogue's ratio of the two types is {target.Region}'s."));
        }

        return new InstanceRepricing(target, current, basis, hours, actualHourly, whatIfHourly, actual, whatIf, difference, working, notes);
    }

    /// <summary>A price on the bill moved to another instance type by the catalogue's ratio of their on-demand prices.</summary>
    internal static decimal RatioPrice(decimal billedHourly, InstanceType current, InstanceType target) =>
        current.OnDemandPerHour == 0m ? target.OnDemandPerHour : billedHourly * target.OnDemandPerHour / current.OnDemandPerHour;

    /// <summary>Prices and costs kept to six places, so the working's figures multiply out exactly.</summary>
    private static decimal Six(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);

    private static bool IsCommitted(string? pricingCategory) =>
        pricingCategory?.Contains("commit", StringComparison.OrdinalIgnoreCase) == true;

    private static string N(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero).ToString("0.######", CultureInfo.InvariantCulture);

    private static string M(decimal amount, string currency) => MoneyText.Amount(amount, currency) + " " + currency;
}
