using System.ComponentModel;
using ModelMeter.Cli.Attribution;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using ModelMeter.Core.Attribution;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

public sealed class TagsSettings : CostQuerySettings
{
    [CommandOption("--fail-under <PERCENT>")]
    [Description("Exit with code 1 when the fully tagged share of cost (any currency) is below this percentage: 95.")]
    public decimal? FailUnder { get; init; }

    [CommandOption("--top <N>")]
    [Description("How many of the largest untagged resources to list (default 10).")]
    public int Top { get; init; } = 10;

    public override ValidationResult Validate() =>
        FailUnder is < 0m or > 100m ? ValidationResult.Error("--fail-under must be a percentage from 0 to 100.")
        : Top < 0 ? ValidationResult.Error("--top must be zero or more.")
        : base.Validate();
}

/// <summary>
/// <c>modelmeter tags</c>: tag compliance under the tag policy: the share of cost fully tagged, per required key, the
/// largest untagged resources with their accounts, values outside the allowed lists. A CI gate with <c>--fail-under</c>.
/// </summary>
public sealed class TagsCommand(CliContext cli) : Command<TagsSettings>
{
    public override int Execute(CommandContext context, TagsSettings settings, CancellationToken cancellationToken)
    {
        var query = settings.ToQuery(cli.Clock.GetUtcNow().UtcDateTime);
        var format = settings.OutputFormat;
        var (config, store, _) = StoreOpener.Open(cli, settings);
        IReadOnlyList<TagComplianceReport> reports;
        using (store)
        {
            var setup = AttributionSetup.From(config);
            var billed = store.QueryBilledCostRows(PolicyTagReport.ColumnPart(query));
            reports = TagCompliance.Compute(setup.Policy, CostAttribution.ForCompliance(setup.WithTags(billed, query.Where)), settings.Top);
        }

        ComplianceWriter.Write(cli, reports, format, settings.FailUnder);
        return settings.FailUnder is { } threshold && !TagCompliance.MeetsThreshold(reports, threshold) ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }
}
