using System.Text;

namespace ModelMeter.Core.Text;

/// <summary>RFC 4180 output, the counterpart of <see cref="CsvText"/>: fields quoted when they hold a comma, quote or line break.</summary>
public static class CsvLine
{
    /// <summary>One record, ending with <c>\n</c>; a null field is empty.</summary>
    public static string Format(IEnumerable<string?> fields)
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
