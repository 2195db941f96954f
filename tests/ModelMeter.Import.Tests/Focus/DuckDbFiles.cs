using DuckDB.NET.Data;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>Writes test files with DuckDB's COPY, as users' tools write Parquet (and CSV to compare it with).</summary>
internal static class DuckDbFiles
{
    /// <summary>Writes the rows of <paramref name="select"/> to <paramref name="path"/> in <paramref name="format"/> (COPY's options).</summary>
    public static string Write(string path, string select, string format)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT {format})";
        command.ExecuteNonQuery();
        return path;
    }
}
