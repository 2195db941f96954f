using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Tests.Focus;

/// <summary>
/// A sink that takes Parquet files by columns, as the DuckDB store does (<see cref="IColumnarFactSink"/>), and keeps what
/// it was given, one row of each in the order given: rows appended one by one, and each row of a columnar load as its
/// description's row with the query's per-row values, so both paths can be compared row for row.
/// </summary>
internal sealed class ColumnarSink : IColumnarFactSink
{
    public List<CapturedRow> Rows { get; } = [];

    /// <summary>What reached the sink, in order: "row" for each row appended, "facts N" for each load of N rows.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Each load's query, as the store would run it.</summary>
    public List<string> Selects { get; } = [];

    public void Append(LineItemRow row)
    {
        Rows.Add(CapturedRow.From(row));
        Calls.Add("row");
    }

    public long AppendFacts(ColumnarFacts facts)
    {
        Selects.Add(facts.Select);
        var byHash = facts.Descriptions.ToDictionary(d => d.Hash, d => d.Row);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = facts.Select;
        command.Parameters.Add(new DuckDBParameter("path", facts.Path));
        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            var row = byHash[reader.GetFieldValue<ulong>(0)];
            for (var i = 0; i < facts.Columns.Count; i++)
            {
                var column = FocusSchema.Get(facts.Columns[i]);
                var isNull = reader.IsDBNull(i + 1);
                if (column.Kind == FocusColumnKind.Timestamp)
                {
                    row.Timestamps[column.Slot] = isNull ? null : DateTime.SpecifyKind(reader.GetDateTime(i + 1), DateTimeKind.Utc);
                }
                else
                {
                    row.Decimals[column.Slot] = isNull ? null : reader.GetDecimal(i + 1);
                }
            }

            Rows.Add(CapturedRow.From(row));
            rows++;
        }

        Calls.Add($"facts {rows}");
        return rows;
    }
}
