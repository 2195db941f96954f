using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console;

namespace ModelMeter.Cli.Output;

/// <summary>Renders whichever document an allocated view holds: statements, a cost table, or one target's explanation.</summary>
internal static class AllocationViewWriter
{
    public static void Write(CliContext context, AllocationView view, OutputFormat format, bool chart)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(view);
        context.WriteWarnings(view.Warnings);
        foreach (var note in view.Notes)
        {
            context.Error.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        }

        if (view.Explanation is { } explanation)
        {
            AllocationWriter.WriteExplanation(context, explanation, format);
        }
        else if (view.Showback is { } showback)
        {
            AllocationWriter.WriteStatements(context, showback, format);
        }
        else if (view.Costs is { } costs)
        {
            CostTableWriter.Write(context, costs, format, chart, "Allocated cost");
        }
    }
}
