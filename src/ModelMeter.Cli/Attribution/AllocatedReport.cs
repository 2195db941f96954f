using System.Globalization;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;
using ModelMeter.Store;
using Spectre.Console;

namespace ModelMeter.Cli.Attribution;

/// <summary>
/// The allocated and hierarchical views shared by <c>allocate</c> and <c>report --allocated</c> /
/// <c>report --by hierarchy</c>. Tag conditions of <c>--where</c> apply to the allocated result; FOCUS column
/// conditions select the bill before allocation.
/// </summary>
internal static class AllocatedReport
{
    /// <summary>
    /// <c>--currency EUR</c>: converts with <c>--rates FILE</c> when given, else with the rates stored by
    /// <c>modelmeter import rates</c>.
    /// </summary>
    public static CurrencyConversion? Conversion(CliContext cli, ICostStore store, string? currency, string? rates)
    {
        if (currency is null && rates is null)
        {
            return null;
        }

        if (currency is null)
        {
            throw new UserInputException("--rates goes with --currency: --currency EUR --rates rates.csv (a CSV of date,from,to,rate).");
        }

        var code = currency.Trim().ToUpperInvariant();
        if (!Currency.IsWellFormed(code))
        {
            throw new UserInputException($"--currency '{currency}' is not an ISO 4217 code such as USD or EUR.");
        }

        if (rates is null)
        {
            var stored = store.ExchangeRates();
            if (stored.Count == 0)
            {
                throw new UserInputException($"--currency {code}: the store holds no exchange rates; import a table with `modelmeter import rates rates.csv` or pass --rates rates.csv.");
            }

            return new CurrencyConversion(code, new ExchangeRateTable(stored));
        }

        var path = cli.ResolvePath(rates);
        if (!File.Exists(path))
        {
            throw new UserInputException($"Rates file '{rates}' does not exist.");
        }

        return new CurrencyConversion(code, ExchangeRateTable.Parse(File.ReadAllText(path), rates));
    }

    public static int Write(CliContext cli, AttributionSetup setup, ICostStore store, CostQuery query, OutputFormat format, int? top, Filter? explain, CurrencyConversion? conversion, bool chart = false)
    {
        var (result, billed) = setup.Allocate(store, query, conversion);
        foreach (var warning in result.Warnings)
        {
            cli.Error.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        if (setup.Rules.Count == 0)
        {
            cli.Error.MarkupLine("[grey]No allocation rules are configured (modelmeter.yaml `allocation.rules`), so every cost is direct. After `modelmeter demo`, try --config .modelmeter/demo/modelmeter.yaml.[/]");
        }

        if (explain is not null)
        {
            if (explain.Dimension is not TagDimension tag || explain.Operator != FilterOperator.Equal)
            {
                throw new UserInputException($"--explain '{explain.Dimension.Label}': name one target as tag:KEY=VALUE, e.g. tag:team=nlp.");
            }

            var key = setup.Policy.CanonicalKey(tag.Key);
            var value = setup.Policy.NormalizeValue(key, explain.Values[0]) ?? setup.Policy.UntaggedLabel;
            var lines = result.Lines.Where(l => setup.Matches(l, query.Where) && (setup.ValueOf(l, key) == value || l.Label == explain.Values[0].Trim())).ToList();
            AllocationWriter.WriteExplanation(cli, $"{key}={value}", lines, format);
            return ExitCodes.Ok;
        }

        var kept = result.Lines.Where(l => setup.Matches(l, query.Where)).ToList();
        var keys = query.By.Select(d => d is TagDimension t
                ? setup.Policy.CanonicalKey(t.Key)
                : throw new UserInputException($"The allocated view groups by tags (tag:team, tag:model ...), not by '{d.Label}': shared cost belongs to targets, not to a FOCUS column."))
            .ToList();
        if (query.Grain is null && keys.Count <= 1)
        {
            var dimension = keys.Count == 1 ? keys[0] : (setup.Rules.Count > 0 ? setup.Rules[0].TargetDimension : null) ?? "team";
            var statements = ShowbackStatement.Build(kept, result.RuleNames, dimension, setup.Policy.UntaggedLabel);
            AllocationWriter.WriteStatements(cli, statements, format, billed);
            if (format == OutputFormat.Table)
            {
                WriteCheck(cli, statements.ToDictionary(s => s.Currency, s => s.Total, StringComparer.Ordinal), billed);
            }

            return ExitCodes.Ok;
        }

        var rows = kept
            .GroupBy(l => (Period: query.Grain is { } g ? TimeBuckets.StartUtc(l.Period, g) : (DateTime?)null, l.Currency, Values: string.Join('\u0001', keys.Select(k => setup.ValueOf(l, k)))))
            .Select(g => new CostRow(g.Key.Period, g.Key.Values.Split('\u0001'), g.Key.Currency, g.Sum(l => l.Amount)))
            .ToList();
        CostTableWriter.Write(cli, CostTable.Build(query, rows, top), format, chart, "Allocated cost");
        return ExitCodes.Ok;
    }

    /// <summary>The cost tree of <c>report --by hierarchy</c>, of the bill or (<paramref name="allocated"/>) of the allocated view.</summary>
    public static void WriteHierarchy(CliContext cli, AttributionSetup setup, ICostStore store, CostQuery query, OutputFormat format, int? depth, bool allocated, CurrencyConversion? conversion)
    {
        IEnumerable<DimensionedAmount> amounts;
        if (allocated)
        {
            var result = setup.Allocate(store, query, conversion).Result;
            amounts = result.Lines.Where(l => setup.Matches(l, query.Where)).Select(l => l.ToDimensionedAmount());
        }
        else
        {
            var rows = setup.Attribute(store.QueryBilledCostRows(query with { Where = query.Where.Where(f => f.Dimension is not TagDimension).ToList() }), conversion);
            amounts = rows.Where(r => Matches(setup, r, query.Where)).Select(r => r.ToDimensionedAmount());
        }

        if (depth is < 1)
        {
            throw new UserInputException("--depth must be at least 1.");
        }

        HierarchyWriter.Write(cli, HierarchyRollup.Build(amounts, setup.Levels, depth, setup.Policy.UntaggedLabel), format);
    }

    /// <summary>Prints the conservation check: what was allocated equals what was billed, per currency.</summary>
    public static void WriteCheck(CliContext cli, IReadOnlyDictionary<string, decimal> allocated, IReadOnlyDictionary<string, decimal> billed)
    {
        foreach (var (currency, total) in billed.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var shown = allocated.GetValueOrDefault(currency);
            var equal = shown == total;
            cli.Out.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Allocated total {currency} {Formatting.Money(shown, currency)} {(equal ? "[green]=[/]" : "[red]≠[/]")} billed total {currency} {Formatting.Money(total, currency)}{(equal ? " (to the cent)" : " (the --where conditions leave some out)")}."));
        }
    }

    private static bool Matches(AttributionSetup setup, CostPoolRow row, IEnumerable<Filter> filters) =>
        setup.Matches(new AllocatedLine(row.Period, row.Currency, row.Amount, AllocationKind.Direct, row.Dimensions, null, null, null), filters);
}
