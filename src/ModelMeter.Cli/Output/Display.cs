using System.Globalization;

namespace ModelMeter.Cli.Output;

/// <summary>How figures are shown to people (tables, Markdown) and written for machines (JSON).</summary>
internal static class Display
{
    /// <summary>A value for people: fractions as percentages, large amounts with separators, tiny unit costs with enough digits.</summary>
    public static string Value(decimal value, string unit)
    {
        if (unit == "fraction")
        {
            return (value * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
        }

        var abs = Math.Abs(value);
        var money = Core.Monetary.Currency.IsWellFormed(unit);
        var text = abs >= 1e12m
            ? ((double)value).ToString("0.###E+0", CultureInfo.InvariantCulture)
            : money && abs >= 1m ? value.ToString("#,##0.00", CultureInfo.InvariantCulture)
            : abs >= 1e12m
            ? ((double)value).ToString("0.###E+0", CultureInfo.InvariantCulture)
            : abs >= 1000m ? value.ToString("#,##0.##", CultureInfo.InvariantCulture)
            : abs >= 1m ? value.ToString("#,##0.####", CultureInfo.InvariantCulture)
            : value.ToString("0.##########", CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(unit) ? text : $"{text} {unit}";
    }

    public static string Format(string? format, string fallback, params string[] allowed)
    {
        var f = (format ?? fallback).ToLowerInvariant();
        return allowed.Contains(f)
            ? f
            : throw new Core.Errors.UserInputException($"--format '{format}' is not supported here; use {string.Join(", ", allowed)}.");
    }

    public static string MarkdownCell(string text) => Core.Text.MarkdownText.Cell(text);
}
