using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Tests.Support;
using Spectre.Console.Testing;

namespace ModelMeter.Cli.Tests;

/// <summary>Runs <c>modelmeter</c> in-process on a temporary working folder with a fake clock, capturing stdout and stderr.</summary>
internal sealed class CliHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    public TempDirectory Temp { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Now);

    public string WorkingDirectory => Temp.Path;

    public string StorePath => Path.Combine(Temp.Path, ".modelmeter", "meter.duckdb");

    public Task<CliRun> Run(params string[] args) => Run(interactive: false, args);

    public Task<CliRun> Run(bool interactive, params string[] args) => Run(interactive, null, args);

    /// <summary>Runs in a terminal where a person types <paramref name="input"/> (a line) when asked.</summary>
    public Task<CliRun> RunAnswering(string input, params string[] args) => Run(true, input, args);

    private async Task<CliRun> Run(bool interactive, string? input, string[] args)
    {
        // Wide consoles: an error message must not be wrapped in the middle of "line 3, column 15".
        using var output = new TestConsole().Width(400);
        using var error = new TestConsole().Width(400);
        if (interactive)
        {
            output.Interactive();
            error.Interactive();
        }

        if (input is not null)
        {
            output.Input.PushTextWithEnter(input);
        }

        var context = new CliContext(output, error, Clock, WorkingDirectory, interactive);
        var code = await ModelMeterApp.RunAsync(args, context);
        return new CliRun(code, output.Output, error.Output);
    }

    /// <summary>Writes a FOCUS file into the working folder and returns its name.</summary>
    public string Write(FocusCsv csv, string name)
    {
        csv.WriteTo(Temp.File(name));
        return name;
    }

    public string WriteText(string text, string name)
    {
        File.WriteAllText(Temp.File(name), text, new UTF8Encoding(false));
        return name;
    }

    /// <summary>What the store holds, as the machine-readable surfaces show it: to compare before and after.</summary>
    public async Task<string> StoreSnapshot()
    {
        // "Left as it was" includes not creating a store where there was none.
        if (!File.Exists(StorePath))
        {
            return "(no store)";
        }

        var report = await Run("report", "--by", "tag:team,ServiceCategory,BillingCurrency", "--format", "json");
        var imports = await Run("imports", "--format", "json");
        report.ExitCode.ShouldBe(0);
        imports.ExitCode.ShouldBe(0);
        return report.Out + imports.Out;
    }

    public void Dispose() => Temp.Dispose();
}

internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>A plain RFC 4180 reader for checking the CLI's output and files independently of the importer's own reader.</summary>
internal static class SimpleCsv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add(fields.ToArray());
                fields.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(fields.ToArray());
        }

        return records;
    }

    public static decimal Decimal(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
