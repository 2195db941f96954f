namespace ModelMeter.Core.Text;

/// <summary>The one Markdown escaper: text that goes into a table cell of a pull-request comment, a wiki or a report.</summary>
public static class MarkdownText
{
    /// <summary>A pipe would end the cell and a line break the row: both are escaped or folded.</summary>
    public static string Cell(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }
}
