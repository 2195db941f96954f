using ModelMeter.Application.Contracts;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>The options every <c>what-if</c> verb reads the same way (each settings class declares them, so its help keeps its order and wording).</summary>
internal interface IWhatIfSettings
{
    bool Explain { get; }

    string? Format { get; }
}

/// <summary>
/// The shape every <c>what-if</c> verb shares: run the use case, write its warnings, then JSON, or its table, the
/// "Per month" line(s) and, with <c>--explain</c>, its working. A verb says only how to ask and what its table holds.
/// </summary>
internal abstract class WhatIfCommand<TSettings, TResult>(CliContext cli) : Command<TSettings>
    where TSettings : StoreSettings, IWhatIfSettings
{
    public sealed override int Execute(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        var format = Display.Format(settings.Format, "table", "table", "json");
        var result = Run(settings);
        cli.WriteWarnings(Warnings(result));
        if (format == "json")
        {
            cli.WriteRaw(ModelMeterJson.Serialize(result));
            return ExitCodes.Ok;
        }

        cli.Out.Write(Table(result));
        cli.Out.WriteLine();
        foreach (var line in PerMonth(result))
        {
            cli.Out.MarkupLine(Markup.Escape(line));
        }

        if (settings.Explain)
        {
            cli.Out.MarkupLine("[bold]Working[/]");
            foreach (var step in Working(result))
            {
                cli.Out.MarkupLine("  " + Markup.Escape(step));
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The use case's answer to the settings.</summary>
    protected abstract TResult Run(TSettings settings);

    protected abstract IReadOnlyList<string> Warnings(TResult result);

    protected abstract IReadOnlyList<string> Working(TResult result);

    /// <summary>The table for people.</summary>
    protected abstract Table Table(TResult result);

    /// <summary>The monthly difference lines under the table (plain text; escaped here).</summary>
    protected abstract IEnumerable<string> PerMonth(TResult result);

    /// <summary><c>Per month: -1,234.56 USD (saved on gpt-4.1-mini).</c></summary>
    protected static string PerMonthLine(decimal difference, string currency, string how) =>
        $"Per month: {Formatting.Money(difference, currency)} {currency} ({(difference <= 0 ? "saved" : "more")} {how}).";
}
