namespace ModelMeter.Import;

/// <summary>
/// One thing wrong with an input file, located exactly: the file, the line (or row, for Parquet), the column
/// number and name, the offending value, and what would be valid.
/// </summary>
public sealed record ImportProblem(string File, long Line, int Column, string? ColumnName, string? Value, string Message, string LineWord = "line")
{
    public override string ToString()
    {
        var where = Column > 0
            ? $"{Path.GetFileName(File)}: {LineWord} {Line}, column {Column}{(ColumnName is null ? "" : $" ({ColumnName})")}"
            : $"{Path.GetFileName(File)}: {LineWord} {Line}";
        var value = Value is null ? "" : $"'{Shorten(Value)}' ";
        return $"{where}: {value}{Message}";
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "...");
}
