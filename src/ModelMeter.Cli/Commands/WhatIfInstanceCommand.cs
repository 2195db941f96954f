using System.ComponentModel;
using System.Globalization;
using ModelMeter.Application.WhatIf;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class WhatIfInstanceSettings : StoreSettings, IWhatIfSettings
{
    [CommandOption("--resource <ID>")]
    [Description("The resource to reprice: its ResourceId on the bill (report --by ResourceId --where PricingUnit=Hours lists them).")]
    public string? Resource { get; init; }

    [CommandOption("--as <INSTANCE>")]
    [Description("The catalogue instance type to reprice its hours on: g5.xlarge, p4d.24xlarge (modelmeter catalog --kind instance).")]
    public string? As { get; init; }

    [CommandOption("--from <DATE>")]
    [Description("First day (UTC), inclusive.")]
    public string? From { get; init; }

    [CommandOption("--to <DATE>")]
    [Description("Day (UTC) the period ends before, exclusive.")]
    public string? To { get; init; }

    [CommandOption("--last <SPAN>")]
    [Description("The last days or weeks up to today: 30d, 4w.")]
    public string? Last { get; init; }

    [CommandOption("--month <YYYY-MM>")]
    [Description("One calendar month (default: last month).")]
    public string? Month { get; init; }

    [CommandOption("--explain")]
    [Description("Show the working: hours billed, prices, the ratio or catalogue price used, the totals.")]
    public bool Explain { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string? Format { get; init; }
}

/// <summary><c>modelmeter what-if instance</c>: a resource's billed hours of last month on another catalogue instance type.</summary>
internal sealed class WhatIfInstanceCommand(CliContext cli, WhatIfInstanceUseCase whatIf) : WhatIfCommand<WhatIfInstanceSettings, WhatIfInstanceReport>(cli)
{
    protected override WhatIfInstanceReport Run(WhatIfInstanceSettings settings) => whatIf.Run(new WhatIfInstanceRequest
    {
        Store = settings.StoreOptions, Resource = settings.Resource, As = settings.As,
        From = settings.From, To = settings.To, Last = settings.Last, Month = settings.Month,
    });

    protected override IReadOnlyList<string> Warnings(WhatIfInstanceReport result) => result.Warnings;

    protected override IReadOnlyList<string> Working(WhatIfInstanceReport result) => result.Working;

    protected override Table Table(WhatIfInstanceReport result)
    {
        var name = result.ResourceName ?? result.ResourceId;
        var grid = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"{name} {result.From:yyyy-MM-dd} to {result.To:yyyy-MM-dd} repriced on {result.Instance}"));
        foreach (var column in new[] { "instance", "basis" })
        {
            grid.AddColumn(column);
        }

        foreach (var column in new[] { "hours", "per hour", "cost" })
        {
            grid.AddColumn(new TableColumn(column).RightAligned());
        }

        string H(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);
        string Hourly(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
        grid.AddRow(Markup.Escape((result.CurrentInstance ?? result.SkuId ?? "(unknown)") + " (actual)"), "bill", H(result.Hours), Hourly(result.ActualHourly), Formatting.Money(result.Actual, result.Currency));
        grid.AddRow(Markup.Escape(result.Instance), Markup.Escape(result.Basis.Replace('_', ' ')), H(result.Hours), Hourly(result.WhatIfHourly), Formatting.Money(result.WhatIf, result.Currency));
        grid.AddRow("[bold]Difference[/]", "", "", "", $"[bold]{Formatting.Money(result.Difference, result.Currency)}[/]");
        return grid;
    }

    protected override IEnumerable<string> PerMonth(WhatIfInstanceReport result) =>
        [PerMonthLine(result.MonthlyDifference, result.Currency, $"on {result.Instance}")];
}
