using System.Globalization;
using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Runs;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Application.WhatIf;

/// <summary>A <c>what-if frequency</c>: the experiment, the retraining frequency factor, and the period (default last month).</summary>
public sealed record WhatIfFrequencyRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (that team's runs only, as <c>runs</c> applies it).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>The MLflow experiment (<c>--experiment</c>).</summary>
    public string? Experiment { get; init; }

    /// <summary>The retraining frequency factor (<c>--x</c>), as written: <c>2</c> retrains twice as often, <c>0.5</c> half as often.</summary>
    public string? X { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Last { get; init; }

    /// <summary>The month (<c>YYYY-MM</c>); without any period, the last complete month.</summary>
    public string? Month { get; init; }
}

/// <summary>
/// The answer of <c>modelmeter what-if frequency</c> (<c>GET /api/v1/what-if/frequency</c>): an experiment's observed
/// run cost in the period (as <c>runs</c> computes it: billed over each run's window, nested runs counted once) scaled
/// by a retraining frequency factor, with the working.
/// </summary>
/// <param name="Experiment">The experiment, as stored.</param>
/// <param name="Factor">The frequency factor: 2 is twice as often.</param>
/// <param name="From">The first instant of the period (inclusive).</param>
/// <param name="To">The instant the period ends before (exclusive).</param>
/// <param name="Runs">Runs of the experiment that met the period, children included.</param>
/// <param name="RunTrees">Top-level runs: one retraining each (a tuning parent with its children is one).</param>
/// <param name="RunTimeHours">Wall-clock hours, the union of the run windows.</param>
/// <param name="CostBasis"><c>billed</c>, <c>estimated</c> or <c>mixed</c>, as <c>runs</c> says.</param>
/// <param name="Actual">The experiment's run cost in the period (<c>runs --by experiment</c>).</param>
/// <param name="PerRetraining">Actual ÷ run trees.</param>
/// <param name="WhatIf">Actual × factor.</param>
/// <param name="Difference">What-if − actual (negative: retraining less often saves).</param>
/// <param name="MonthlyDifference">The difference scaled to 30.4375 days (the difference itself for a calendar month).</param>
/// <param name="Working">The steps, as <c>estimate --explain</c> shows them.</param>
public sealed record WhatIfFrequencyReport(
    string Experiment,
    decimal Factor,
    DateTime From,
    DateTime To,
    int Runs,
    int RunTrees,
    decimal RunTimeHours,
    string Currency,
    string CostBasis,
    decimal Actual,
    decimal PerRetraining,
    decimal WhatIf,
    decimal Difference,
    decimal MonthlyDifference,
    IReadOnlyList<string> Working)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary><c>modelmeter what-if frequency --experiment NAME --x 2</c>: an experiment's run cost at another retraining frequency.</summary>
public sealed class WhatIfFrequencyUseCase(RunsUseCase runs, ModelMeterEnvironment environment)
{
    public WhatIfFrequencyReport Run(WhatIfFrequencyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Experiment))
        {
            throw new UserInputException("Name the experiment with --experiment, as MLflow names it (modelmeter runs --by experiment lists them).");
        }

        var factor = Factor(request.X);
        var (from, to) = WhatIfPeriod.Resolve(request.From, request.To, request.Last, request.Month, environment.UtcNow);
        var result = runs.Run(new RunsRequest
        {
            Store = request.Store, Access = request.Access, By = "experiment",
            From = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), To = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        var name = request.Experiment.Trim();
        var group = result.Groups.FirstOrDefault(g => string.Equals(g.Group, name, StringComparison.Ordinal))
            ?? result.Groups.FirstOrDefault(g => string.Equals(g.Group, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                $"--experiment '{name}' has no runs between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}; experiments with runs then: {string.Join(", ", result.Groups.Select(g => g.Group).Order(StringComparer.Ordinal))}."));
        if (group.Cost is not { } actual || group.Currency is not { } currency)
        {
            throw new UserInputException($"The runs of {group.Group} have no known cost: their resource is not in the bill and they name no catalogued instance type (modelmeter runs --experiment {group.Group} says why).");
        }

        var whatIf = actual * factor;
        var difference = whatIf - actual;
        var monthly = WhatIfPeriod.Monthly(difference, from, to);
        var perRetraining = group.RunTrees == 0 ? 0m : Math.Round(actual / group.RunTrees, 6, MidpointRounding.AwayFromZero);
        var hours = Math.Round((decimal)group.RunTimeSeconds / 3600m, 4);
        var working = new List<string>
        {
            WhatIfPeriod.Describe(from, to),
            string.Create(CultureInfo.InvariantCulture,
                $"{group.Group}: {group.Runs} run(s) in {group.RunTrees} run tree(s), one retraining each; {hours:0.##} h of run time; cost {M(actual, currency)} ({group.CostBasis}, nested runs counted once, as modelmeter runs --by experiment)"),
            string.Create(CultureInfo.InvariantCulture, $"per retraining: {M(actual, currency)} ÷ {group.RunTrees} = {M(perRetraining, currency)}"),
            string.Create(CultureInfo.InvariantCulture,
                $"× {factor:0.####} the frequency: {group.RunTrees} → {group.RunTrees * factor:0.##} retrainings, {M(actual, currency)} × {factor:0.####} = {M(whatIf, currency)}; difference {M(difference, currency)}"),
            string.Create(CultureInfo.InvariantCulture, $"per month: {M(monthly, currency)}{WhatIfPeriod.Scaling(from, to)}"),
        };
        var warnings = new List<string>(result.Warnings);
        if (group.WasteRuns > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{group.WasteRuns} of the {group.Runs} runs failed or were killed ({M(group.WasteCost ?? 0m, currency)}); the what-if assumes the same share fails at the new frequency."));
        }

        if (group.Running > 0)
        {
            warnings.Add($"{group.Running} run(s) are still running: their cost so far is in the actual.");
        }

        return new WhatIfFrequencyReport(
            group.Group, factor, from, to, group.Runs, group.RunTrees, hours, currency, group.CostBasis, actual, perRetraining, whatIf, difference, monthly, working)
        { Warnings = warnings };
    }

    private static decimal Factor(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UserInputException("Give the retraining frequency factor with --x: 2 retrains twice as often, 0.5 half as often.");
        }

        var trimmed = text.Trim().TrimStart('x', 'X', '×');
        return decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var factor) && factor > 0m && factor <= 1000m
            ? factor
            : throw new UserInputException($"--x '{text}' is not a frequency factor; use a positive number up to 1000 (2 is twice as often, 0.5 half as often).");
    }

    private static string M(decimal amount, string currency) => MoneyText.Amount(amount, currency) + " " + currency;
}
