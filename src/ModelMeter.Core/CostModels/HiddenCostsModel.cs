using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

internal sealed record HiddenCostsInput
{
    /// <summary>GB a data flow moves per month along <see cref="TransferPath"/> (a feature sync, replication, egress to users).</summary>
    public decimal TransferGbPerMonth { get; init; }

    public string TransferPath { get; init; } = "transfer";

    public decimal TransferPerGb { get; init; }

    /// <summary>True when both sides of the path pay <see cref="TransferPerGb"/> (AWS inter-zone).</summary>
    public bool TransferBothDirections { get; init; }

    /// <summary>Artifacts, datasets and checkpoints kept, in GB.</summary>
    public decimal StorageGb { get; init; }

    public string StorageTier { get; init; } = "storage";

    public decimal StoragePerGbMonth { get; init; }

    /// <summary>Object-store write (PUT, COPY, POST, LIST) requests per month, billed per 1,000.</summary>
    public decimal PutRequestsPerMonth { get; init; }

    public decimal PutPer1k { get; init; }

    /// <summary>Object-store read (GET) requests per month, billed per 1,000.</summary>
    public decimal GetRequestsPerMonth { get; init; }

    public decimal GetPer1k { get; init; }

    /// <summary>Monthly compute spend that monitoring and tooling scale with.</summary>
    public decimal ComputeMonthly { get; init; }

    /// <summary>Monitoring, logging and tooling as a share of compute (0.05 = 5%).</summary>
    public decimal MonitoringShare { get; init; }

    public decimal LabelledItemsPerMonth { get; init; }

    public decimal PricePerLabel { get; init; }

    public int Months { get; init; } = 12;
}

/// <summary>The costs next to compute that budgets forget: transfer, storage, monitoring and labelling.</summary>
internal static class HiddenCostsModel
{
    public const string Kind = "hidden";

    public static Estimate Calculate(HiddenCostsInput input, string currency, string title = "Hidden costs")
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.TransferGbPerMonth < 0 || input.TransferPerGb < 0 || input.StorageGb < 0 || input.StoragePerGbMonth < 0
            || input.PutRequestsPerMonth < 0 || input.PutPer1k < 0 || input.GetRequestsPerMonth < 0 || input.GetPer1k < 0
            || input.ComputeMonthly < 0 || input.MonitoringShare is < 0 or > 1 || input.LabelledItemsPerMonth < 0 || input.PricePerLabel < 0)
        {
            throw new UserInputException("Hidden costs: amounts must not be negative, and monitoring_share must be between 0 and 1.");
        }

        if (input.Months is < 1 or > 120)
        {
            throw new UserInputException("Hidden costs: months must be 1–120.");
        }

        var w = new Working(currency);
        w.Input("transfer per month", input.TransferGbPerMonth, "GB");
        w.Input("transfer path", $"{input.TransferPath}: {Fmt.Number(input.TransferPerGb)} {currency}/GB{(input.TransferBothDirections ? " on each side" : string.Empty)}");
        w.Input("storage kept", input.StorageGb, "GB");
        w.Input("storage tier", $"{input.StorageTier}: {Fmt.Number(input.StoragePerGbMonth)} {currency}/GB-month");
        if (input.PutRequestsPerMonth > 0 || input.GetRequestsPerMonth > 0)
        {
            w.Input("write requests per month", input.PutRequestsPerMonth, $"requests at {Fmt.Number(input.PutPer1k)} {currency}/1k");
            w.Input("read requests per month", input.GetRequestsPerMonth, $"requests at {Fmt.Number(input.GetPer1k)} {currency}/1k");
        }

        w.Input("compute per month", input.ComputeMonthly, currency);
        w.Input("monitoring and tooling share", input.MonitoringShare, "fraction");
        w.Input("labelled items per month", input.LabelledItemsPerMonth, "items");
        w.Input("price per label", input.PricePerLabel, currency);
        w.Input("horizon", input.Months, "months");

        var sides = input.TransferBothDirections ? 2 : 1;
        var transfer = w.Step(
            "transfer",
            $"GB × price per GB × sides billed = {Fmt.Number(input.TransferGbPerMonth)} × {Fmt.Number(input.TransferPerGb)} × {sides}",
            input.TransferGbPerMonth * input.TransferPerGb * sides,
            currency);
        var storage = w.Step("storage", $"GB × price per GB-month = {Fmt.Number(input.StorageGb)} × {Fmt.Number(input.StoragePerGbMonth)}", input.StorageGb * input.StoragePerGbMonth, currency);
        var requests = w.Step(
            "storage requests",
            $"writes ÷ 1000 × price + reads ÷ 1000 × price = {Fmt.Number(input.PutRequestsPerMonth)} ÷ 1000 × {Fmt.Number(input.PutPer1k)} + {Fmt.Number(input.GetRequestsPerMonth)} ÷ 1000 × {Fmt.Number(input.GetPer1k)}",
            (input.PutRequestsPerMonth * input.PutPer1k + input.GetRequestsPerMonth * input.GetPer1k) / 1000m,
            currency);
        var monitoring = w.Step("monitoring and tooling", $"compute × share = {Fmt.Number(input.ComputeMonthly)} × {Fmt.Number(input.MonitoringShare)}", input.ComputeMonthly * input.MonitoringShare, currency);
        var labelling = w.Step("labelling", $"items × price per label = {Fmt.Number(input.LabelledItemsPerMonth)} × {Fmt.Number(input.PricePerLabel)}", input.LabelledItemsPerMonth * input.PricePerLabel, currency);
        var monthly = w.Step("hidden cost per month", "transfer + storage + requests + monitoring + labelling", transfer + storage + requests + monitoring + labelling, currency);
        var horizon = w.Step($"over {input.Months} months", $"monthly × {input.Months}", monthly * input.Months, currency);

        w.Result("transfer_monthly", "Transfer per month", transfer, currency);
        w.Result("storage_monthly", "Storage per month", storage, currency);
        w.Result("requests_monthly", "Storage requests per month", requests, currency);
        w.Result("monitoring_monthly", "Monitoring and tooling per month", monitoring, currency);
        w.Result("labelling_monthly", "Labelling per month", labelling, currency);
        w.Result("monthly_cost", "Hidden cost per month", monthly, currency);
        w.Result("horizon_cost", $"Hidden cost over {input.Months} months", horizon, currency);
        if (input.ComputeMonthly > 0)
        {
            w.Result("share_of_compute", "Hidden cost as a share of compute", monthly / input.ComputeMonthly, "fraction");
        }

        return w.Build(Kind, title, "monthly_cost");
    }
}
