using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// The one place values become ClickHouse text. ClickHouse 18.16 (Debian's) has no query parameters (<c>{name:Type}</c>
/// came in 19.x), so every value a query carries is written by <see cref="Literal(string?)"/> and its overloads, and
/// every value an insert carries by <see cref="TsvField(string?)"/> and <see cref="TsvArray"/>; nothing else splices
/// text into SQL. Identifiers are never user text: they come from <see cref="Identifier"/>, which accepts only
/// <c>[A-Za-z_][A-Za-z0-9_]*</c> (table and column names of the schema, the database and cluster of the config).
/// </summary>
/// <remarks>
/// A ClickHouse string literal is <c>'...'</c> in which a backslash starts an escape; both releases read
/// <c>\\</c>, <c>\'</c>, <c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\0</c>, <c>\b</c>, <c>\f</c>. Escaping the backslash and the
/// quote is what keeps a value inside its literal; the control characters are escaped so a statement stays on the lines
/// it was written on. Every other character, any Unicode included, stands for itself (the text is sent as UTF-8).
/// ClickHouseSqlTests round-trips hostile strings through a real server.
/// </remarks>
internal static partial class Sql
{
    /// <summary>A string value as a SQL literal, or <c>NULL</c>.</summary>
    public static string Literal(string? value)
    {
        if (value is null)
        {
            return "NULL";
        }

        var sql = new StringBuilder(value.Length + 2).Append('\'');
        AppendEscaped(sql, value);
        return sql.Append('\'').ToString();
    }

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An exact decimal as a <c>Decimal(38,18)</c> value (parsed from text, so no digit is lost on the way).</summary>
    public static string Literal(decimal value) => $"toDecimal128({Literal(value.ToString(CultureInfo.InvariantCulture))}, 18)";

    /// <summary>A UTC instant as a <c>DateTime('UTC')</c> value.</summary>
    public static string Literal(DateTime utc) => $"toDateTime({Literal(Instant(utc))}, 'UTC')";

    /// <summary>A day as a <c>Date</c> value.</summary>
    public static string Literal(DateOnly day) => $"toDate({Literal(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))})";

    /// <summary>Strings as <c>['a', 'b']</c>; an empty list is typed, as ClickHouse cannot infer the type of <c>[]</c>.</summary>
    public static string Array(IEnumerable<string> values)
    {
        var items = values.Select(Literal).ToList();
        return items.Count == 0 ? "emptyArrayString()" : "[" + string.Join(", ", items) + "]";
    }

    /// <summary>A name of the schema or of the config, checked against the only shape ModelMeter lets into SQL.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IdentifierShape().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters).", nameof(name));
        }

        return name;
    }

    public static bool IsIdentifier(string? name) => name is not null && IdentifierShape().IsMatch(name);

    /// <summary>A UTC instant as ClickHouse writes and reads DateTime text: <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// A value as a field of ClickHouse's TabSeparated input: <c>\N</c> for NULL, else the text with backslash, quote,
    /// tab, line breaks and NUL escaped (the format's own escapes; a literal <c>\N</c> text becomes <c>\\N</c>).
    /// </summary>
    public static void TsvField(TsvBuffer output, string? value)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (value is null)
        {
            output.Append(NullField);
            return;
        }

        AppendTsvEscaped(output, value);
    }

    /// <summary>
    /// An <c>Array(String)</c> or <c>Array(Nullable(String))</c> as a TabSeparated field: the array's text form,
    /// <c>['a',NULL]</c>, each element a quoted literal as <see cref="Literal(string?)"/> writes it. The format reads an
    /// array field as this text directly (not unescaped as a field first), and a literal holds no raw tab or line break.
    /// </summary>
    public static void TsvArray(TsvBuffer output, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            output.Append("[]");
            return;
        }

        var array = new StringBuilder("[");
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                array.Append(',');
            }

            array.Append(Literal(values[i]));
        }

        output.Append(array.Append(']').ToString());
    }

    private const string NullField = "\\N";

    private static void AppendTsvEscaped(TsvBuffer output, string value)
    {
        var rest = value.AsSpan();
        while (true)
        {
            // Runs without a special character go in whole; special characters are ASCII, so a run never splits a surrogate pair.
            var special = rest.IndexOfAny(Special);
            if (special < 0)
            {
                output.Append(rest);
                return;
            }

            output.Append(rest[..special]);
            output.Append(Escape(rest[special]));
            rest = rest[(special + 1)..];
        }
    }

    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("\\'\n\r\t\0\b\f");

    private static string Escape(char c) => c switch
    {
        '\\' => "\\\\",
        '\'' => "\\'",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\0' => "\\0",
        '\b' => "\\b",
        '\f' => "\\f",
        _ => c.ToString(),
    };

    private static void AppendEscaped(StringBuilder sql, string value)
    {
        foreach (var c in value)
        {
            if (Special.Contains(c))
            {
                sql.Append(Escape(c));
            }
            else
            {
                sql.Append(c);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierShape();
}
