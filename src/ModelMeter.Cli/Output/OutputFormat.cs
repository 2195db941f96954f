using ModelMeter.Core.Errors;

namespace ModelMeter.Cli.Output;

/// <summary><c>--format</c>: tables for people, JSON and CSV for machines, Markdown for pull requests and wikis.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
    Markdown,
}

internal static class OutputFormats
{
    public static OutputFormat Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "table" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        "markdown" or "md" => OutputFormat.Markdown,
        _ => throw new UserInputException($"--format '{text}' is not a format; use table, json, csv or markdown."),
    };
}
