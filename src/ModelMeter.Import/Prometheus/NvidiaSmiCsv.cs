using System.Globalization;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Import.Prometheus;

/// <summary>
/// Reads <c>nvidia-smi --query-gpu=timestamp,index,uuid,name,utilization.gpu,memory.used,memory.total --format=csv</c>
/// (any subset with <c>timestamp</c>, in any order; <c>noheader</c> is not readable, <c>nounits</c> is): a header of the
/// query's field names with units in brackets (<c>utilization.gpu [%]</c>, <c>memory.used [MiB]</c>), values such as
/// <c>35 %</c> and <c>10240 MiB</c>, timestamps <c>2026/10/05 14:00:00.123</c> in the host's local time (given as
/// <paramref name="utcOffset"/>). <c>utilization.gpu</c> becomes <c>gpu_utilization_percent</c>, <c>memory.used</c>
/// <c>gpu_memory_used_bytes</c> (MiB × 1,048,576); <c>[N/A]</c> values are left out. Dimensions: <c>gpu</c> (index),
/// <c>gpu_uuid</c>, <c>gpu_model</c> (name) and <c>resource_id</c> when given.
/// </summary>
public static class NvidiaSmiCsv
{
    private static readonly string[] TimeFormats = ["yyyy/MM/dd HH:mm:ss.fff", "yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss"];

    public static IReadOnlyList<UsageSample> Parse(string text, string sourceName, string? resourceId, TimeSpan utcOffset)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = CsvText.Parse(text, sourceName);
        if (records.Count == 0)
        {
            throw new UserInputException($"{sourceName}: the file is empty; expected nvidia-smi --query-gpu=timestamp,index,uuid,utilization.gpu,memory.used --format=csv output.");
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        int Column(string field) => header.FindIndex(h => h == field || h.StartsWith(field + " [", StringComparison.Ordinal));
        var time = Column("timestamp");
        if (time < 0)
        {
            throw new UserInputException($"{sourceName}: line 1: no timestamp column (header: {string.Join(", ", header)}); query timestamp with --query-gpu and keep the header (no noheader).");
        }

        var index = Column("index");
        var uuid = Column("uuid");
        var name = Column("name");
        var metrics = new List<(int Column, string Metric, decimal Factor, string Unit)>();
        if (Column("utilization.gpu") is >= 0 and var u)
        {
            metrics.Add((u, "gpu_utilization_percent", 1m, "%"));
        }

        if (Column("memory.used") is >= 0 and var m)
        {
            metrics.Add((m, "gpu_memory_used_bytes", 1_048_576m, "MiB"));
        }

        if (metrics.Count == 0)
        {
            throw new UserInputException($"{sourceName}: line 1: neither utilization.gpu nor memory.used is queried; nothing to import.");
        }

        var samples = new List<UsageSample>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count == 1 && string.IsNullOrWhiteSpace(record.Fields[0]))
            {
                continue;
            }

            if (record.Fields.Count != header.Count)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}: {record.Fields.Count} fields, the header has {header.Count}.");
            }

            var stamp = record.Fields[time].Trim();
            if (!DateTime.TryParseExact(stamp, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column {time + 1}: timestamp '{stamp}' is not nvidia-smi's yyyy/MM/dd HH:mm:ss.fff.");
            }

            var at = DateTime.SpecifyKind(local - utcOffset, DateTimeKind.Utc);
            var dims = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (index >= 0)
            {
                dims["gpu"] = record.Fields[index].Trim();
            }

            if (uuid >= 0)
            {
                dims["gpu_uuid"] = record.Fields[uuid].Trim();
            }

            if (name >= 0)
            {
                dims["gpu_model"] = record.Fields[name].Trim();
            }

            if (!string.IsNullOrWhiteSpace(resourceId))
            {
                dims["resource_id"] = resourceId.Trim();
            }

            foreach (var (column, metric, factor, unit) in metrics)
            {
                var raw = record.Fields[column].Trim();
                if (raw.StartsWith("[N/A]", StringComparison.Ordinal) || raw.StartsWith("[Not Supported]", StringComparison.Ordinal) || raw.Length == 0)
                {
                    continue;
                }

                var number = raw.EndsWith(unit, StringComparison.Ordinal) ? raw[..^unit.Length].Trim() : raw;
                if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                {
                    throw new UserInputException($"{sourceName}: line {record.Line}, column {column + 1} ({header[column]}): '{raw}' is not a number of {unit}.");
                }

                samples.Add(new UsageSample(DateOnly.FromDateTime(at), metric, value * factor, dims) { Start = at });
            }
        }

        return samples;
    }
}
