using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

internal sealed record InferenceInput
{
    public required string InstanceName { get; init; }

    public required decimal HourlyPrice { get; init; }

    /// <summary>Instances in the fleet; when null, the fleet is sized for <see cref="TargetRps"/>.</summary>
    public int? Instances { get; init; }

    /// <summary>Sustained requests per second one instance serves at the latency target.</summary>
    public required decimal RpsPerInstance { get; init; }

    /// <summary>Share of capacity held back for peaks and latency (0.3 = run at 70% at most).</summary>
    public decimal Headroom { get; init; }

    /// <summary>Operational overhead on the instance cost: load balancer, logging, replicas in other zones (0.1 = +10%).</summary>
    public decimal Overhead { get; init; }

    public decimal? TargetRps { get; init; }

    public decimal? MonthlyRequests { get; init; }

    public decimal? PricePerCall { get; init; }
}

/// <summary>An inference endpoint: fleet cost against effective throughput, unit cost, monthly cost, sizing and margin.</summary>
internal static class InferenceModel
{
    public const string Kind = "inference";

    /// <summary>Hours in a month as cloud providers bill them (8,760 ÷ 12).</summary>
    public const decimal HoursPerMonth = 730m;

    public static Estimate Calculate(InferenceInput input, string currency, string title = "Inference endpoint")
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var w = new Working(currency);
        w.Input("instance", $"{input.InstanceName} at {Fmt.Number(input.HourlyPrice)} {currency}/h");
        w.Input("requests/s per instance", input.RpsPerInstance, "req/s");
        w.Input("headroom", input.Headroom, "fraction");
        w.Input("operational overhead", input.Overhead, "fraction");
        if (input.Instances is { } given)
        {
            w.Input("instances", given, "instances");
        }

        if (input.TargetRps is { } target)
        {
            w.Input("target load", target, "req/s");
        }

        if (input.MonthlyRequests is { } volume)
        {
            w.Input("monthly requests", volume, "requests");
        }

        if (input.PricePerCall is { } price)
        {
            w.Input("price per call", price, currency);
        }

        decimal? needed = null;
        if (input.TargetRps is { } t)
        {
            var perInstance = w.Step(
                "effective req/s per instance",
                $"req/s per instance × (1 − headroom) = {Fmt.Number(input.RpsPerInstance)} × (1 − {Fmt.Number(input.Headroom)})",
                input.RpsPerInstance * (1 - input.Headroom),
                "req/s");
            needed = w.Step("instances needed", $"⌈target ÷ effective per instance⌉ = ⌈{Fmt.Number(t)} ÷ {Fmt.Number(perInstance)}⌉", Math.Ceiling(t / perInstance), "instances");
        }

        var instances = input.Instances ?? (int)needed!.Value;
        if (needed is { } n && instances < n)
        {
            w.Note($"{instances} instance(s) cannot carry the target load of {Fmt.Number(input.TargetRps!.Value)} req/s with {Fmt.Percent(input.Headroom)} headroom: {n} are needed.");
        }

        var hourly = w.Step(
            "fleet cost per hour",
            $"hourly price × instances × (1 + overhead) = {Fmt.Number(input.HourlyPrice)} × {instances} × (1 + {Fmt.Number(input.Overhead)})",
            input.HourlyPrice * instances * (1 + input.Overhead),
            currency + "/h");
        var throughput = w.Step(
            "effective throughput",
            $"req/s per instance × instances × (1 − headroom) = {Fmt.Number(input.RpsPerInstance)} × {instances} × (1 − {Fmt.Number(input.Headroom)})",
            input.RpsPerInstance * instances * (1 - input.Headroom),
            "req/s");
        var perHour = w.Step("requests per hour at capacity", $"effective throughput × 3600 = {Fmt.Number(throughput)} × 3600", throughput * 3600, "requests");
        var costPerRequest = w.Step("cost per request at capacity", $"fleet cost per hour ÷ requests per hour = {Fmt.Number(hourly)} ÷ {Fmt.Number(perHour)}", hourly / perHour, currency);
        var costPer1k = w.Step("cost per 1k requests at capacity", "cost per request × 1000", costPerRequest * 1000, currency);
        var monthly = w.Step("monthly cost", $"fleet cost per hour × {HoursPerMonth} h = {Fmt.Number(hourly)} × {HoursPerMonth}", hourly * HoursPerMonth, currency);
        var capacity = w.Step("monthly capacity", $"requests per hour × {HoursPerMonth} h", perHour * HoursPerMonth, "requests");

        w.Result("instances", "Instances", instances, "instances");
        if (needed is { } nn)
        {
            w.Result("instances_needed", "Instances needed for target", nn, "instances");
        }

        w.Result("hourly_cost", "Fleet cost per hour", hourly, currency);
        w.Result("effective_rps", "Effective throughput", throughput, "req/s");
        w.Result("cost_per_request", "Cost per request (at capacity)", costPerRequest, currency);
        w.Result("cost_per_1k", "Cost per 1k requests (at capacity)", costPer1k, currency);
        w.Result("monthly_cost", "Monthly cost (730 h)", monthly, currency);
        w.Result("monthly_capacity", "Monthly capacity", capacity, "requests");

        var unitCost = costPerRequest;
        if (input.MonthlyRequests is { } v)
        {
            unitCost = w.Step("cost per request at volume", $"monthly cost ÷ monthly requests = {Fmt.Number(monthly)} ÷ {Fmt.Number(v)}", monthly / v, currency);
            w.Result("cost_per_request_at_volume", "Cost per request (at volume)", unitCost, currency);
            w.Result("cost_per_1k_at_volume", "Cost per 1k requests (at volume)", unitCost * 1000, currency);
            w.Result("utilisation", "Utilisation of effective capacity", v / capacity, "fraction");
            if (v > capacity)
            {
                w.Note($"Monthly volume {Fmt.Number(v)} exceeds the fleet's effective capacity of {Fmt.Number(capacity)} requests.");
            }
        }

        if (input.PricePerCall is { } pr)
        {
            var margin = w.Step("gross margin", $"(price − unit cost) ÷ price = ({Fmt.Number(pr)} − {Fmt.Number(unitCost)}) ÷ {Fmt.Number(pr)}", (pr - unitCost) / pr, "fraction");
            w.Result("gross_margin", "Gross margin per call", margin, "fraction");
            if (input.MonthlyRequests is { } vol)
            {
                var revenue = w.Step("monthly revenue", $"price × monthly requests = {Fmt.Number(pr)} × {Fmt.Number(vol)}", pr * vol, currency);
                var profit = w.Step("monthly gross profit", $"revenue − monthly cost = {Fmt.Number(revenue)} − {Fmt.Number(monthly)}", revenue - monthly, currency);
                w.Result("monthly_revenue", "Monthly revenue", revenue, currency);
                w.Result("monthly_gross_profit", "Monthly gross profit", profit, currency);
            }
        }

        return w.Build(Kind, title, "monthly_cost");
    }

    private static void Validate(InferenceInput input)
    {
        Require(input.HourlyPrice >= 0, "the hourly price must not be negative");
        Require(input.RpsPerInstance > 0, "rps_per_instance must be positive");
        Require(input.Headroom is >= 0 and < 1, "headroom must be at least 0 and below 1");
        Require(input.Overhead >= 0, "overhead must not be negative");
        Require(input.Instances is null or > 0, "instances must be a positive whole number");
        Require(input.Instances is not null || input.TargetRps is not null, "give instances, or target_rps to size the fleet");
        Require(input.TargetRps is null or > 0, "target_rps must be positive");
        Require(input.MonthlyRequests is null or > 0, "monthly_requests must be positive");
        Require(input.PricePerCall is null or > 0, "price_per_call must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UserInputException("Inference: " + message + ".");
        }
    }
}
