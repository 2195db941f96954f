using System.ComponentModel;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

/// <summary>The settings of <c>import aws-cur</c>, <c>import gcp-billing</c> and <c>import azure-cost</c>: those of <c>import focus</c>.</summary>
internal sealed class ImportExportSettings : StoreSettings
{
    [CommandArgument(0, "<PATHS>")]
    [Description("Export files (.csv, .csv.gz, .parquet; .json lines for GCP) or folders holding them (a CUR export folder with its manifests); all are imported together.")]
    public string[] Paths { get; init; } = [];

    [CommandOption("--dry-run")]
    [Description("Read, map and validate everything and print the report without writing.")]
    public bool DryRun { get; init; }

    [CommandOption("--skip-bad-rows")]
    [Description("Import the valid rows and write the refused ones, with reasons, to a rejects CSV.")]
    public bool SkipBadRows { get; init; }

    [CommandOption("--strict")]
    [Description("Refuse the files (exit 2, store unchanged) when any mapped row breaks a FOCUS rule.")]
    public bool Strict { get; init; }

    [CommandOption("--rejects <PATH>")]
    [Description("Where --skip-bad-rows writes refused rows (default: <file>.rejects.csv in the current folder).")]
    public string? Rejects { get; init; }

    [CommandOption("--quiet")]
    [Description("No progress bar and only the one-line summary.")]
    public bool Quiet { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the report.")]
    public string? Format { get; init; }

    public Application.Imports.ImportBillingExportRequest Request() => new()
    {
        Store = StoreOptions,
        Paths = Paths,
        DryRun = DryRun,
        SkipBadRows = SkipBadRows,
        Rejects = Rejects,
        Strict = Strict,
    };
}
