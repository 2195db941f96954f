namespace ModelMeter.Application.Runs;

/// <summary>
/// <c>modelmeter runs --format json</c>: MLflow runs with their cost, the roll-up asked for (<c>--by</c>), the chosen
/// metrics' efficiency (<c>--metric</c>), estimate against actual (<c>--reconcile</c>) and chart data (<c>--chart</c>).
/// </summary>
/// <param name="From">Start of the period asked for (UTC), or null.</param>
/// <param name="To">End of the period (exclusive), or null.</param>
/// <param name="DataEnd">Where runs still running were costed up to: the end of the billing data, or when the runs were read.</param>
/// <param name="Runs">Every run, ordered by start.</param>
/// <param name="Totals">All runs together, nested runs counted once.</param>
/// <param name="Groups">The roll-up by <c>--by</c> (experiment, estimator, status, tag:KEY); empty without it.</param>
/// <param name="Metrics">How each <c>--metric</c> was judged (direction, point).</param>
/// <param name="Reconciliation">Estimates against actual runs (<c>--reconcile</c>); empty without it.</param>
/// <param name="Chart">Chart data (<c>--chart</c>); null without it.</param>
public sealed record RunsResult(
    DateTime? From,
    DateTime? To,
    DateTime DataEnd,
    IReadOnlyList<RunRow> Runs,
    RunGroup Totals,
    IReadOnlyList<RunGroup> Groups,
    IReadOnlyList<MetricGoalDocument> Metrics,
    IReadOnlyList<EstimateReconciliation> Reconciliation,
    RunChart? Chart)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <param name="RootRunId">The top of its run tree (itself when it has no parent).</param>
/// <param name="End">When it ended; null while it runs (then <see cref="Open"/>).</param>
/// <param name="Open">Still running: costed up to the data's end.</param>
/// <param name="DurationSeconds">Its own window's length (children's windows lie inside their parent's).</param>
/// <param name="Cost">Its window's cost; null when not known (<c>cost_basis</c> <c>unknown</c>).</param>
/// <param name="CostBasis"><c>billed</c>, <c>estimated</c> or <c>unknown</c>.</param>
/// <param name="Metrics">The value of each <c>--metric</c> (null when not logged or not usable: NaN, infinite, overflowed).</param>
/// <param name="Efficiency">Per <c>--metric</c>: the gain over the previous best run and the cost per point.</param>
/// <param name="Notes">Why a figure is what it is (estimated instead of billed, still running ...).</param>
public sealed record RunRow(
    string RunId,
    string? RunName,
    string Experiment,
    string? ParentRunId,
    string RootRunId,
    string Status,
    DateTime? Start,
    DateTime? End,
    bool Open,
    double? DurationSeconds,
    decimal? Cost,
    string? Currency,
    string CostBasis,
    string? ResourceId,
    string? InstanceType,
    int InstanceCount,
    string? Estimator,
    string? EstimateId,
    IReadOnlyDictionary<string, decimal?> Metrics,
    IReadOnlyList<RunEfficiencyDocument> Efficiency,
    IReadOnlyList<string> Notes);

/// <param name="Value">The run's usable value.</param>
/// <param name="InvalidValue">What it logged when that is not usable (NaN is written as null here too).</param>
/// <param name="PreviousBest">The best value of the experiment's earlier finished runs.</param>
/// <param name="GainPoints">Points gained over it, positive when better.</param>
/// <param name="CostPerPoint">Cost ÷ gain when it gained.</param>
public sealed record RunEfficiencyDocument(string Metric, decimal? Value, double? InvalidValue, decimal? PreviousBest, decimal? GainPoints, decimal? CostPerPoint);

/// <summary>A roll-up of runs: nested and concurrent runs on one resource counted once.</summary>
/// <param name="Group">The group's value (an experiment, a team); <c>(all)</c> for the totals.</param>
/// <param name="RunTrees">Top-level runs (a tuning parent with its children is one tree).</param>
/// <param name="RunTimeSeconds">Wall-clock time: the union of the group's run windows.</param>
/// <param name="Cost">Cost over that union, per resource; null when no run's cost is known.</param>
/// <param name="CostBasis"><c>billed</c>, <c>estimated</c>, <c>mixed</c> or <c>unknown</c>.</param>
/// <param name="UnknownCostRuns">Runs whose cost is not known (not in the bill, no catalogued instance type).</param>
/// <param name="WasteRuns">Failed and killed runs.</param>
/// <param name="WasteCost">What they cost (their windows' union).</param>
/// <param name="WasteShare">Waste cost ÷ cost.</param>
public sealed record RunGroup(
    string Group,
    int Runs,
    int RunTrees,
    int Finished,
    int Failed,
    int Killed,
    int Running,
    double RunTimeSeconds,
    decimal? Cost,
    string? Currency,
    string CostBasis,
    int UnknownCostRuns,
    int WasteRuns,
    decimal? WasteCost,
    decimal? WasteShare);

/// <param name="Direction"><c>higher</c> or <c>lower</c> is better.</param>
/// <param name="Point">What one point is.</param>
/// <param name="Source"><c>config</c> or <c>inferred from the name</c>.</param>
public sealed record MetricGoalDocument(string Metric, string Direction, decimal Point, string Source);

/// <summary>An estimate (<c>modelmeter estimate</c>) against the runs tagged with its id (<c>modelmeter.estimate_id</c>).</summary>
/// <param name="CostError">(actual − estimated) ÷ estimated: 0.2 is 20% over.</param>
/// <param name="TimeError">(actual hours − estimated hours) ÷ estimated hours.</param>
public sealed record EstimateReconciliation(
    string EstimateId,
    string Spec,
    string Title,
    int Runs,
    decimal EstimatedCost,
    decimal? ActualCost,
    string Currency,
    decimal? CostError,
    decimal? EstimatedHours,
    decimal ActualHours,
    decimal? TimeError,
    string? Note);

/// <summary>What <c>runs --chart</c> draws, in the terminal or as an image.</summary>
/// <param name="Kind"><c>runtime</c>, <c>starts</c> or <c>estimators</c>.</param>
/// <param name="Runtime">Per experiment, each run tree's hours (a strip chart).</param>
/// <param name="Starts">Run trees started per weekday (Monday first) and UTC hour: 7 rows of 24.</param>
/// <param name="Estimators">Runs and cost per estimator.</param>
public sealed record RunChart(
    string Kind,
    string Title,
    IReadOnlyList<RuntimeStrip> Runtime,
    IReadOnlyList<IReadOnlyList<int>> Starts,
    IReadOnlyList<EstimatorBar> Estimators,
    string? Currency);

public sealed record RuntimeStrip(string Experiment, IReadOnlyList<double> Hours);

public sealed record EstimatorBar(string Estimator, int Runs, decimal Cost);
