using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

/// <summary>Prices of the machines a training run rents, per instance-hour.</summary>
internal sealed record InstancePricing(
    string Name,
    int GpusPerInstance,
    decimal OnDemandPerHour,
    decimal? SpotPerHour,
    decimal? Commitment1yPerHour);

/// <summary>
/// A training run. Give the work as parameters and tokens (FLOPs = 6·N·D), as FLOPs, or as measured GPU-hours.
/// </summary>
internal sealed record TrainingInput
{
    public decimal? Parameters { get; init; }

    public decimal? Tokens { get; init; }

    public decimal? Flops { get; init; }

    public decimal? GpuHours { get; init; }

    public required string GpuName { get; init; }

    public required string Precision { get; init; }

    /// <summary>Peak dense TFLOPS of one GPU at <see cref="Precision"/>.</summary>
    public required double PeakTflops { get; init; }

    public required int Gpus { get; init; }

    /// <summary>Model FLOP utilisation: the share of peak the run achieves (0.35–0.45 is typical of large runs).</summary>
    public decimal Mfu { get; init; } = 0.40m;

    /// <summary>Extra time for communication, restarts and stragglers, as a fraction (0.10 = +10%).</summary>
    public decimal CommunicationOverhead { get; init; }

    public required InstancePricing Pricing { get; init; }

    /// <summary>Checkpoint bytes per parameter: 14 = bf16 weights 2 + fp32 master weights 4 + Adam moments 8.</summary>
    public decimal BytesPerParameter { get; init; } = 14m;

    public int CheckpointsKept { get; init; } = 1;

    public decimal CheckpointMonths { get; init; } = 1m;

    public decimal StoragePerGbMonth { get; init; }

    /// <summary>Which compute price the headline total uses: on_demand, spot or commitment_1y.</summary>
    public string HeadlinePricing { get; init; } = "on_demand";
}

/// <summary>Training cost from first principles: FLOPs → GPU-hours at an MFU → wall-clock → instance-hours → cost.</summary>
internal static class TrainingModel
{
    public const string Kind = "training";

    public static Estimate Calculate(TrainingInput input, string currency, string title = "Training run")
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var w = new Working(currency);
        var p = input.Pricing;
        if (input.Parameters is { } n)
        {
            w.Input("parameters (N)", n, "parameters");
        }

        if (input.Tokens is { } d)
        {
            w.Input("training tokens (D)", d, "tokens");
        }

        w.Input("GPU", $"{input.GpuName}, {Fmt.Number(input.PeakTflops)} dense TFLOPS at {input.Precision}");
        w.Input("GPUs", input.Gpus, "GPUs");
        w.Input("MFU", input.Mfu, "fraction");
        w.Input("communication overhead", input.CommunicationOverhead, "fraction");
        w.Input("instance", $"{p.Name}, {p.GpusPerInstance} GPU(s), {Fmt.Number(p.OnDemandPerHour)} {currency}/h on-demand");

        decimal gpuHours;
        if (input.GpuHours is { } measured)
        {
            gpuHours = w.Step("GPU-hours", "as given (measured); MFU and overhead not applied", measured, "GPU-h");
        }
        else
        {
            double flops;
            if (input.Flops is { } given)
            {
                flops = (double)given;
                w.Step("FLOPs", "as given", given, "FLOP");
            }
            else
            {
                flops = 6.0 * (double)input.Parameters!.Value * (double)input.Tokens!.Value;
                w.Step("FLOPs", $"6 × N × D = 6 × {Fmt.Number(input.Parameters.Value)} × {Fmt.Number(input.Tokens.Value)}", ToDecimal(flops), "FLOP");
            }

            // FLOPs are physics, held as double; the GPU-hours they imply become decimal here, rounded to 15 significant digits.
            var effectiveFlopsPerSecond = input.PeakTflops * 1e12 * (double)input.Mfu;
            var computeGpuHours = ToDecimal(flops / effectiveFlopsPerSecond / 3600.0);
            w.Step(
                "compute GPU-hours",
                $"FLOPs ÷ (peak × MFU × 3600 s) = {Fmt.Number(flops)} ÷ ({Fmt.Number(input.PeakTflops)}e12 × {Fmt.Number(input.Mfu)} × 3600)",
                computeGpuHours,
                "GPU-h");
            gpuHours = w.Step(
                "GPU-hours with overhead",
                $"compute GPU-hours × (1 + overhead) = {Fmt.Number(computeGpuHours)} × (1 + {Fmt.Number(input.CommunicationOverhead)})",
                computeGpuHours * (1 + input.CommunicationOverhead),
                "GPU-h");
        }

        var wallHours = w.Step("wall-clock hours", $"GPU-hours ÷ GPUs = {Fmt.Number(gpuHours)} ÷ {input.Gpus}", gpuHours / input.Gpus, "h");
        var instances = w.Step(
            "instances",
            $"⌈GPUs ÷ GPUs per instance⌉ = ⌈{input.Gpus} ÷ {p.GpusPerInstance}⌉",
            Math.Ceiling((decimal)input.Gpus / p.GpusPerInstance),
            "instances");
        var instanceHours = w.Step("instance-hours", $"instances × wall-clock hours = {instances} × {Fmt.Number(wallHours)}", instances * wallHours, "instance-h");
        if (instances * p.GpusPerInstance != input.Gpus)
        {
            w.Note($"{input.Gpus} GPUs do not fill whole {p.Name} instances: the cost pays for {instances * p.GpusPerInstance} GPUs.");
        }

        var onDemand = w.Step("compute cost on-demand", $"instance-hours × {Fmt.Number(p.OnDemandPerHour)}", instanceHours * p.OnDemandPerHour, currency);
        decimal? spot = p.SpotPerHour is { } s
            ? w.Step("compute cost at spot", $"instance-hours × {Fmt.Number(s)}", instanceHours * s, currency)
            : null;
        decimal? commitment = p.Commitment1yPerHour is { } c
            ? w.Step("compute cost at 1-year commitment", $"instance-hours × {Fmt.Number(c)}", instanceHours * c, currency)
            : null;

        decimal checkpointCost = 0;
        decimal checkpointGb = 0;
        if (input.Parameters is { } parameters && input.CheckpointsKept > 0)
        {
            checkpointGb = w.Step(
                "checkpoint size",
                $"N × bytes per parameter ÷ 1e9 = {Fmt.Number(parameters)} × {Fmt.Number(input.BytesPerParameter)} ÷ 1e9",
                parameters * input.BytesPerParameter / 1_000_000_000m,
                "GB");
            checkpointCost = w.Step(
                "checkpoint storage",
                $"size × checkpoints kept × months × price = {Fmt.Number(checkpointGb)} × {input.CheckpointsKept} × {Fmt.Number(input.CheckpointMonths)} × {Fmt.Number(input.StoragePerGbMonth)}",
                checkpointGb * input.CheckpointsKept * input.CheckpointMonths * input.StoragePerGbMonth,
                currency);
        }
        else if (input.Parameters is null && input.CheckpointsKept > 0)
        {
            w.Note("Checkpoint storage is not priced: it needs the parameter count.");
        }

        var headlineCompute = input.HeadlinePricing switch
        {
            "spot" => spot ?? throw new UserInputException($"Instance '{p.Name}' has no spot price in the catalogue; use pricing: on_demand or give one."),
            "commitment_1y" => commitment ?? throw new UserInputException($"Instance '{p.Name}' has no 1-year commitment price in the catalogue; use pricing: on_demand or give one."),
            _ => onDemand,
        };
        var total = w.Step(
            $"total ({input.HeadlinePricing.Replace('_', '-')})",
            $"compute + checkpoint storage = {Fmt.Number(headlineCompute)} + {Fmt.Number(checkpointCost)}",
            headlineCompute + checkpointCost,
            currency);

        w.Result("gpu_hours", "GPU-hours", gpuHours, "GPU-h");
        w.Result("wall_clock_hours", "Wall-clock hours", wallHours, "h");
        w.Result("instance_hours", "Instance-hours", instanceHours, "instance-h");
        w.Result("cost_on_demand", "Compute at on-demand", onDemand, currency);
        if (spot is { } sp)
        {
            w.Result("cost_spot", "Compute at spot", sp, currency);
        }

        if (commitment is { } cm)
        {
            w.Result("cost_commitment_1y", "Compute at 1-year commitment", cm, currency);
        }

        w.Result("checkpoint_gb", "Checkpoint size", checkpointGb, "GB");
        w.Result("checkpoint_storage_cost", "Checkpoint storage", checkpointCost, currency);
        w.Result("total_cost", $"Total ({input.HeadlinePricing.Replace('_', '-')})", total, currency);
        return w.Build(Kind, title, "total_cost");
    }

    private static void Validate(TrainingInput input)
    {
        var ways = (input.Parameters is not null && input.Tokens is not null ? 1 : 0) + (input.Flops is not null ? 1 : 0) + (input.GpuHours is not null ? 1 : 0);
        if (ways != 1)
        {
            throw new UserInputException("Training: give exactly one of parameters + tokens, flops, or gpu_hours.");
        }

        Require(input.Gpus > 0, "gpus must be a positive whole number");
        Require(input.Mfu is > 0 and <= 1, "mfu must be above 0 and at most 1");
        Require(input.CommunicationOverhead >= 0, "communication_overhead must not be negative");
        Require(input.PeakTflops > 0, "the GPU's peak TFLOPS must be positive");
        Require(input.Pricing.GpusPerInstance > 0, "the instance must have at least one GPU");
        Require(input.Parameters is null or > 0, "parameters must be positive");
        Require(input.Tokens is null or > 0, "tokens must be positive");
        Require(input.Flops is null or > 0, "flops must be positive");
        Require(input.GpuHours is null or > 0, "gpu_hours must be positive");
        Require(input.CheckpointsKept >= 0 && input.CheckpointMonths >= 0 && input.BytesPerParameter > 0, "checkpoint inputs must not be negative");
        Require(input.HeadlinePricing is "on_demand" or "spot" or "commitment_1y", $"pricing '{input.HeadlinePricing}' is not one of on_demand, spot, commitment_1y");
        if (input.Parameters is { } n && input.Tokens is { } d && 6.0 * (double)n * (double)d > 1e28)
        {
            throw new UserInputException("Training: 6 × parameters × tokens exceeds 1e28 FLOPs; check the units (parameters and tokens are counts, not billions).");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UserInputException("Training: " + message + ".");
        }
    }

    private static decimal ToDecimal(double value) =>
        value < 7.9e28 ? (decimal)value : throw new UserInputException("Training: the FLOP count is too large to price; check the units.");
}
