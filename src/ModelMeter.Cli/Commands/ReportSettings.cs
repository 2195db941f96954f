using System.ComponentModel;
using ModelMeter.Application.Reporting;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Reporting;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>The cost explorer's options, shared by every command that groups and filters costs.</summary>
internal class CostQuerySettings : StoreSettings
{
    [CommandOption("--by <DIMENSIONS>")]
    [Description("Group by FOCUS columns and tags, comma-separated: tag:team,ServiceCategory.")]
    public string? By { get; init; }

    [CommandOption("--where <CONDITION>")]
    [Description("Filter (repeatable, all must hold): tag:environment=prod, ServiceCategory!=Storage, tag:team in (nlp, vision).")]
    public string[] Where { get; init; } = [];

    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive: 2026-10-01.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) the period ends before, exclusive: 2026-11-01.")]
    public string? To { get; init; }

    [CommandOption("--last <SPAN>")]
    [Description("The last days or weeks up to today: 30d, 4w.")]
    public string? Last { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    [Description("One calendar month: 2026-10.")]
    public string? Month { get; init; }

    [CommandOption("--grain <GRAIN>")]
    [Description("A time series by hour, day, week or month (UTC).")]
    public string? Grain { get; init; }

    [CommandOption("--cost <COST>")]
    [Description("effective (default: discounts and amortised commitments; also called amortized), billed, list or contracted.")]
    public string? Cost { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json, csv or markdown.")]
    public string? Format { get; init; }

    /// <summary>The query as written, for the use case to parse.</summary>
    public CostQueryText QueryText => new()
    {
        By = By,
        Where = Where,
        From = From,
        To = To,
        Last = Last,
        Month = Month,
        Grain = Grain,
        Cost = Cost,
    };

    public CostQuery ToQuery(DateTime nowUtc) => QueryText.ToQuery(nowUtc);

    public OutputFormat OutputFormat => OutputFormats.Parse(Format);
}

internal sealed class ReportSettings : CostQuerySettings
{
    [CommandOption("--top <N>")]
    [Description("Keep the N largest groups; the rest are summed as (other).")]
    public int? Top { get; init; }

    [CommandOption("--chart")]
    [Description("Draw a bar chart under the table (a trend for --grain).")]
    public bool Chart { get; init; }

    [CommandOption("--allocated")]
    [Description("Report allocated cost: shared pools split by modelmeter.yaml's allocation rules (with --by tag:team: a showback statement).")]
    public bool Allocated { get; init; }

    [CommandOption("--depth <N>")]
    [Description("With --by hierarchy: how many levels of the cost tree to expand.")]
    public int? Depth { get; init; }

    [CommandOption("--currency <CODE>")]
    [Description("With --allocated or --by hierarchy: convert every amount to this currency at its charge day's rate (rates from --rates, else from `import rates`).")]
    public string? Currency { get; init; }

    [CommandOption("--rates <FILE>")]
    [Description("Exchange-rate CSV (date,from,to,rate) for --currency.")]
    public string? Rates { get; init; }

    /// <summary><c>--by hierarchy</c>: the cost tree of modelmeter.yaml's <c>hierarchy.levels</c>.</summary>
    public bool IsHierarchy => string.Equals(By?.Trim(), "hierarchy", StringComparison.OrdinalIgnoreCase);

    public override Spectre.Console.ValidationResult Validate() =>
        Depth is <= 0 ? Spectre.Console.ValidationResult.Error("--depth must be a positive number.")
        : base.Validate();
}
