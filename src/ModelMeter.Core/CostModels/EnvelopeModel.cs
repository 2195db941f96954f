using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

internal sealed record EnvelopeInput
{
    public required string RateName { get; init; }

    public required decimal HourlyRate { get; init; }

    public int Instances { get; init; } = 1;

    public required decimal Hours { get; init; }

    public decimal StorageGb { get; init; }

    public decimal StoragePerGbMonth { get; init; }

    public decimal Months { get; init; } = 1m;
}

/// <summary>The back of an envelope: hourly rate × hours + storage × price × months.</summary>
internal static class EnvelopeModel
{
    public const string Kind = "envelope";

    public static Estimate Calculate(EnvelopeInput input, string currency, string title = "Back-of-the-envelope")
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.HourlyRate < 0 || input.Hours < 0 || input.Instances < 1 || input.StorageGb < 0 || input.StoragePerGbMonth < 0 || input.Months < 0)
        {
            throw new UserInputException("Envelope: amounts must not be negative and instances must be at least 1.");
        }

        var w = new Working(currency);
        w.Input("rate", $"{input.RateName}: {Fmt.Number(input.HourlyRate)} {currency}/h");
        w.Input("instances", input.Instances, "instances");
        w.Input("hours", input.Hours, "h");
        w.Input("storage", input.StorageGb, "GB");
        w.Input("storage price", input.StoragePerGbMonth, currency + "/GB-month");
        w.Input("months stored", input.Months, "months");
        var compute = w.Step("compute", $"rate × instances × hours = {Fmt.Number(input.HourlyRate)} × {input.Instances} × {Fmt.Number(input.Hours)}", input.HourlyRate * input.Instances * input.Hours, currency);
        var storage = w.Step("storage", $"GB × price × months = {Fmt.Number(input.StorageGb)} × {Fmt.Number(input.StoragePerGbMonth)} × {Fmt.Number(input.Months)}", input.StorageGb * input.StoragePerGbMonth * input.Months, currency);
        var total = w.Step("total", "compute + storage", compute + storage, currency);
        w.Result("compute_cost", "Compute", compute, currency);
        w.Result("storage_cost", "Storage", storage, currency);
        w.Result("total_cost", "Total", total, currency);
        return w.Build(Kind, title, "total_cost");
    }
}
