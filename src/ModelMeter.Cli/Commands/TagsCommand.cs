using System.ComponentModel;
using ModelMeter.Application.Attribution;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Cli.Output;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class TagsSettings : CostQuerySettings
{
    [CommandOption("--fail-under <PERCENT>")]
    [Description("Exit with code 1 when the fully tagged share of cost (any currency) is below this percentage: 95.")]
    public decimal? FailUnder { get; init; }

    [CommandOption("--top <N>")]
    [Description("How many of the largest untagged resources to list (default 10).")]
    public int Top { get; init; } = 10;
}

/// <summary>
/// <c>modelmeter tags</c>: tag compliance under the tag policy: the share of cost fully tagged, per required key, the
/// largest untagged resources with their accounts, values outside the allowed lists. A CI gate with <c>--fail-under</c>.
/// </summary>
internal sealed class TagsCommand(CliContext cli, TagsUseCase tags) : Command<TagsSettings>
{
    public override int Execute(CommandContext context, TagsSettings settings, CancellationToken cancellationToken)
    {
        var format = settings.OutputFormat;
        var result = tags.Run(new TagsRequest { Store = settings.StoreOptions, Query = settings.QueryText, FailUnder = settings.FailUnder, Top = settings.Top });
        cli.WriteWarnings(result.Warnings);
        ComplianceWriter.Write(cli, result, format);
        return result.Passed == false ? ExitCodes.CheckFailed : ExitCodes.Ok;
    }
}
