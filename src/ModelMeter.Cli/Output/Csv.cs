using ModelMeter.Core.Text;

namespace ModelMeter.Cli.Output;

/// <summary>RFC 4180 output: fields quoted when they hold a comma, quote or line break (the rule is <see cref="CsvLine"/>'s).</summary>
internal static class Csv
{
    public static string Line(IEnumerable<string?> fields) => CsvLine.Format(fields);
}
