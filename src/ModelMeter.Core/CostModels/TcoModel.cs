using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

internal sealed record TcoInput
{
    /// <summary>Yearly compute spend when self-hosting.</summary>
    public required decimal ComputePerYear { get; init; }

    /// <summary>What the managed service adds on compute (0.25 = 25% more).</summary>
    public required decimal ManagedPremium { get; init; }

    public required decimal SelfHostedHoursPerWeek { get; init; }

    public required decimal ManagedHoursPerWeek { get; init; }

    /// <summary>Fully loaded yearly cost of one engineer.</summary>
    public required decimal EngineerAnnualCost { get; init; }
}

/// <summary>Build vs buy: self-hosted compute plus engineering time against a managed service's premium.</summary>
internal static class TcoModel
{
    public const string Kind = "tco";

    public const decimal WeeksPerYear = 52m;

    public const decimal HoursPerWeek = 40m;

    public static Estimate Calculate(TcoInput input, string currency, string title = "Self-hosted vs managed")
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ComputePerYear < 0 || input.ManagedPremium < 0 || input.SelfHostedHoursPerWeek < 0 || input.ManagedHoursPerWeek < 0 || input.EngineerAnnualCost <= 0)
        {
            throw new UserInputException("TCO: amounts and hours must not be negative, and engineer_annual_cost must be positive.");
        }

        var w = new Working(currency);
        w.Input("compute per year (self-hosted)", input.ComputePerYear, currency);
        w.Input("managed premium on compute", input.ManagedPremium, "fraction");
        w.Input("engineering hours per week, self-hosted", input.SelfHostedHoursPerWeek, "h");
        w.Input("engineering hours per week, managed", input.ManagedHoursPerWeek, "h");
        w.Input("engineer annual cost", input.EngineerAnnualCost, currency);

        var rate = w.Step("engineer hourly rate", $"annual cost ÷ 52 ÷ 40 = {Fmt.Number(input.EngineerAnnualCost)} ÷ 52 ÷ 40", input.EngineerAnnualCost / WeeksPerYear / HoursPerWeek, currency + "/h");
        var managedCompute = w.Step("managed compute per year", $"compute × (1 + premium) = {Fmt.Number(input.ComputePerYear)} × (1 + {Fmt.Number(input.ManagedPremium)})", input.ComputePerYear * (1 + input.ManagedPremium), currency);
        var selfEngineering = w.Step("self-hosted engineering per year", $"hours per week × 52 × rate = {Fmt.Number(input.SelfHostedHoursPerWeek)} × 52 × {Fmt.Number(rate)}", input.SelfHostedHoursPerWeek * WeeksPerYear * rate, currency);
        var managedEngineering = w.Step("managed engineering per year", $"hours per week × 52 × rate = {Fmt.Number(input.ManagedHoursPerWeek)} × 52 × {Fmt.Number(rate)}", input.ManagedHoursPerWeek * WeeksPerYear * rate, currency);
        var selfTotal = w.Step("self-hosted total per year", $"compute + engineering = {Fmt.Number(input.ComputePerYear)} + {Fmt.Number(selfEngineering)}", input.ComputePerYear + selfEngineering, currency);
        var managedTotal = w.Step("managed total per year", $"compute + engineering = {Fmt.Number(managedCompute)} + {Fmt.Number(managedEngineering)}", managedCompute + managedEngineering, currency);
        var difference = w.Step("difference", $"|self-hosted − managed| = |{Fmt.Number(selfTotal)} − {Fmt.Number(managedTotal)}|", Math.Abs(selfTotal - managedTotal), currency);
        var hoursSaved = w.Step("engineering hours saved per year by managed", $"(self-hosted − managed hours per week) × 52 = ({Fmt.Number(input.SelfHostedHoursPerWeek)} − {Fmt.Number(input.ManagedHoursPerWeek)}) × 52", (input.SelfHostedHoursPerWeek - input.ManagedHoursPerWeek) * WeeksPerYear, "h");

        var winner = selfTotal < managedTotal ? "self-hosted" : managedTotal < selfTotal ? "managed" : "tie";
        w.Note($"Winner: {winner}" + (winner == "tie" ? "." : $", by {Fmt.Number(Math.Round(difference, 2))} {currency} a year."));

        w.Result("self_hosted_total", "Self-hosted total per year", selfTotal, currency);
        w.Result("managed_total", "Managed total per year", managedTotal, currency);
        w.Result("difference", $"Difference per year ({winner} cheaper)", difference, currency);
        w.Result("hourly_rate", "Engineer hourly rate", rate, currency + "/h");
        w.Result("winner_total", $"Cheaper option per year ({winner})", Math.Min(selfTotal, managedTotal), currency);

        if (input.ManagedPremium > 0 && hoursSaved > 0)
        {
            var breakEven = w.Step(
                "break-even compute spend",
                $"hours saved × rate ÷ premium = {Fmt.Number(hoursSaved)} × {Fmt.Number(rate)} ÷ {Fmt.Number(input.ManagedPremium)}",
                hoursSaved * rate / input.ManagedPremium,
                currency);
            w.Result("break_even_compute", "Break-even compute per year (above it, self-hosting wins)", breakEven, currency);
        }
        else
        {
            w.Note(input.ManagedPremium == 0
                ? "No break-even: with no premium, managed never costs more in compute."
                : "No break-even: managed saves no engineering hours, so self-hosting always wins.");
        }

        return w.Build(Kind, title, "winner_total");
    }
}
