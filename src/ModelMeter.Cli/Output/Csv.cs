using System.Text;

namespace ModelMeter.Cli.Output;

/// <summary>RFC 4180 output: fields quoted when they hold a comma, quote or line break.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder();
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                line.Append(',');
            }

            first = false;
            var value = field ?? "";
            if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(value);
            }
        }

        return line.Append('\n').ToString();
    }
}
