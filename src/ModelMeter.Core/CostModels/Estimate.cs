using System.Globalization;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.CostModels;

/// <summary>An input as the model used it: its name, value, unit, and where it came from (the spec, a default, the catalogue).</summary>
public sealed record EstimateInput(string Name, string Value, string Unit, string Origin);

/// <summary>One named step of a formula: what it computes, the formula with the numbers put in, and the value.</summary>
public sealed record CalculationStep(string Name, string Formula, decimal Value, string Unit);

/// <summary>A result figure, keyed for machines (<c>monthly_cost</c>) and labelled for people.</summary>
public sealed record EstimateFigure(string Key, string Label, decimal Value, string Unit);

/// <summary>
/// What every cost model returns: its inputs, the steps of its formula and its results, so any report can show its working.
/// <see cref="HeadlineKey"/> names the figure a budget check compares (for example the total cost of a run, or monthly cost).
/// </summary>
public sealed record Estimate(
    string Kind,
    string Title,
    string Currency,
    IReadOnlyList<EstimateInput> Inputs,
    IReadOnlyList<CalculationStep> Steps,
    IReadOnlyList<EstimateFigure> Results,
    string HeadlineKey,
    IReadOnlyList<string> Notes)
{
    public EstimateFigure Figure(string key) =>
        Results.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"Estimate '{Kind}' has no result '{key}'; it has: {string.Join(", ", Results.Select(r => r.Key))}.");

    public decimal Value(string key) => Figure(key).Value;

    public bool Has(string key) => Results.Any(r => string.Equals(r.Key, key, StringComparison.Ordinal));

    public Money Headline => new(Value(HeadlineKey), Currency);

    public EstimateFigure HeadlineFigure => Figure(HeadlineKey);
}

/// <summary>Collects a model's working as it computes, so the formula and its explanation cannot drift apart.</summary>
public sealed class Working(string currency)
{
    private readonly List<EstimateInput> _inputs = [];
    private readonly List<CalculationStep> _steps = [];
    private readonly List<EstimateFigure> _results = [];
    private readonly List<string> _notes = [];

    public string Currency { get; } = currency;

    public void Input(string name, decimal value, string unit, string origin = "spec") =>
        _inputs.Add(new EstimateInput(name, Fmt.Number(value), unit, origin));

    public void Input(string name, string value, string origin = "spec") =>
        _inputs.Add(new EstimateInput(name, value, string.Empty, origin));

    /// <summary>Records a step and returns its value, so the computation reads as the formula.</summary>
    public decimal Step(string name, string formula, decimal value, string unit)
    {
        _steps.Add(new CalculationStep(name, formula, value, unit));
        return value;
    }

    public void Result(string key, string label, decimal value, string unit) =>
        _results.Add(new EstimateFigure(key, label, value, unit));

    public void Note(string note) => _notes.Add(note);

    public Estimate Build(string kind, string title, string headlineKey) =>
        new(kind, title, Currency, _inputs.ToList(), _steps.ToList(), _results.ToList(), headlineKey, _notes.ToList());
}

/// <summary>Number formatting for working text: invariant, no needless zeros, scientific for physics-sized values.</summary>
public static class Fmt
{
    public static string Number(decimal value) =>
        Math.Abs(value) >= 1e12m
            ? ((double)value).ToString("0.###E+0", CultureInfo.InvariantCulture)
            : value.ToString("#,##0.##########", CultureInfo.InvariantCulture);

    public static string Number(double value) =>
        Math.Abs(value) >= 1e12 || (value != 0 && Math.Abs(value) < 1e-6)
            ? value.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : value.ToString("#,##0.######", CultureInfo.InvariantCulture);

    public static string Percent(decimal fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
