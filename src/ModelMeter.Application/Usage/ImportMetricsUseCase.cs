using System.Globalization;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;
using ModelMeter.Store;

namespace ModelMeter.Application.Usage;

/// <summary><c>import metrics</c>: a CSV of business metrics.</summary>
public sealed record ImportMetricsRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Path { get; init; }
}

/// <summary>The answer of <c>modelmeter import metrics</c>.</summary>
/// <param name="Values">Values stored.</param>
/// <param name="Replaced">Stored values of the same metric, period and scope these replaced.</param>
/// <param name="Metrics">Each metric with its periods.</param>
public sealed record ImportMetricsResult(
    ImportOutcome Outcome, string File, string Sha256, long ImportId, DateTime ImportedAt, long Values, long Replaced, IReadOnlyList<string> Metrics, string Store)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// Business metrics (active users, revenue, conversions, predictions served ...) per period and scope: CSV columns
/// <c>period</c> (<c>2026-10</c> a month, <c>2026-10-05</c> a day, <c>2026-W41</c> an ISO week, or <c>start</c> and
/// <c>end</c> dates, end exclusive), <c>metric</c>, <c>value</c>, and any other column as a scope dimension
/// (<c>product</c>, <c>team</c>, <c>model</c>). A bad line refuses the file; the same metric, period and scope again
/// replaces the stored value.
/// </summary>
public sealed class ImportMetricsUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportMetricsResult Run(ImportMetricsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = ImportFile.Read(environment, request.Path, "Metrics file");
        var values = Parse(file.Text, request.Path);
        using var opened = stores.Open(request.Store, StoreAccess.Write);
        if (opened.Store.FindImportByContentHash(file.Sha256) is { Kind: ImportKind.Metrics } known)
        {
            return new ImportMetricsResult(ImportOutcome.AlreadyImported, file.Path, file.Sha256, known.ImportId, known.ImportedAt, known.Rows, 0, known.BillingPeriods, opened.Location.ToString());
        }

        var record = opened.Store.ImportBusinessMetrics(values, new ImportedFile(file.Path, file.Sha256, file.Bytes, values.Count));
        return new ImportMetricsResult(ImportOutcome.Imported, file.Path, file.Sha256, record.ImportId, record.ImportedAt, record.Rows, record.ReplacedRows, record.BillingPeriods, opened.Location.ToString());
    }

    internal static List<BusinessMetricValue> Parse(string text, string source)
    {
        var records = CsvText.Parse(text, source);
        if (records.Count < 2)
        {
            throw new UserInputException($"{source}: no values; expected a header such as period,product,metric,value and a line per value.");
        }

        var columns = CsvText.Header(records[0], source);
        var hasPeriod = columns.ContainsKey("period");
        if (!columns.ContainsKey("metric") || !columns.ContainsKey("value") || (!hasPeriod && !(columns.ContainsKey("start") && columns.ContainsKey("end"))))
        {
            throw new UserInputException($"{source}: line 1: the header needs period (or start and end), metric and value; other columns are the scope (product, team, model).");
        }

        string[] reserved = ["period", "start", "end", "metric", "value"];
        var dimensions = columns.Where(c => !reserved.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).OrderBy(c => c.Value).ToList();
        var values = new List<BusinessMetricValue>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count == 1 && string.IsNullOrWhiteSpace(record.Fields[0]))
            {
                continue;
            }

            if (record.Fields.Count != records[0].Fields.Count)
            {
                throw new UserInputException($"{source}: line {record.Line}: {record.Fields.Count} fields, the header has {records[0].Fields.Count}.");
            }

            string Field(string name) => record.Fields[columns[name]].Trim();
            string Where(string name) => $"{source}: line {record.Line}, column {columns[name] + 1}";
            var (start, end) = hasPeriod ? Period(Field("period"), Where("period")) : (Date(Field("start"), Where("start")), Date(Field("end"), Where("end")));
            if (end <= start)
            {
                throw new UserInputException($"{Where(hasPeriod ? "period" : "end")}: the period ends before it starts.");
            }

            var metric = Field("metric");
            if (metric.Length == 0)
            {
                throw new UserInputException($"{Where("metric")}: metric is empty.");
            }

            if (!decimal.TryParse(Field("value"), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            {
                throw new UserInputException($"{Where("value")}: value '{Field("value")}' is not a number (use a dot for decimals, no thousands separators).");
            }

            var dims = dimensions.Where(d => !string.IsNullOrWhiteSpace(record.Fields[d.Value]))
                .ToDictionary(d => d.Key.Trim().ToLowerInvariant(), d => (string?)record.Fields[d.Value].Trim().ToLowerInvariant(), StringComparer.Ordinal);
            values.Add(new BusinessMetricValue(start, end, metric, value, dims));
        }

        return values;
    }

    private static (DateOnly Start, DateOnly End) Period(string text, string where)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (day, day.AddDays(1));
        }

        if (DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return (month, month.AddMonths(1));
        }

        if (text.Length == 8 && text[4] == '-' && (text[5] == 'W' || text[5] == 'w')
            && int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(text[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var week) && week is >= 1 and <= 53)
        {
            var monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
            return (monday, monday.AddDays(7));
        }

        throw new UserInputException($"{where}: period '{text}' is not a month (2026-10), a day (2026-10-05) or an ISO week (2026-W41).");
    }

    private static DateOnly Date(string text, string where) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UserInputException($"{where}: '{text}' is not a date such as 2026-10-01.");
}
