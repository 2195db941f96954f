using System.ComponentModel;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Commands;

internal sealed class ImportFocusSettings : StoreSettings
{
    [CommandArgument(0, "<PATHS>")]
    [Description("FOCUS export files (.csv, .csv.gz, .parquet) or folders holding them; all are imported together.")]
    public string[] Paths { get; init; } = [];

    [CommandOption("--dry-run")]
    [Description("Validate everything and print the conformance report without writing.")]
    public bool DryRun { get; init; }

    [CommandOption("--skip-bad-rows")]
    [Description("Import the valid rows and write the refused ones, with reasons, to a rejects CSV.")]
    public bool SkipBadRows { get; init; }

    [CommandOption("--strict")]
    [Description("Refuse the files (exit 2, store unchanged) when any row breaks a FOCUS rule; by default such rows are imported as written and the rules listed.")]
    public bool Strict { get; init; }

    [CommandOption("--rejects <PATH>")]
    [Description("Where --skip-bad-rows writes refused rows (default: <file>.rejects.csv in the current folder; with bad rows in several files, one <file>.rejects.csv each in this path's folder).")]
    public string? Rejects { get; init; }

    [CommandOption("--quiet")]
    [Description("No progress bar and only the one-line summary.")]
    public bool Quiet { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json for the conformance report.")]
    public string? Format { get; init; }
}
