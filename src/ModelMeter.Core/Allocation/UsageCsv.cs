using System.Globalization;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Allocation;

/// <summary>
/// Reads the CSV of <c>modelmeter import usage</c>: <c>timestamp</c> (or <c>start</c> and <c>end</c>), <c>metric</c>,
/// <c>value</c>, and any other column as a dimension (<c>team</c>, <c>model</c>, <c>workload</c>, <c>resource_id</c>).
/// <para>
/// Times are ISO 8601 with <c>Z</c> or an offset, or a plain date (<c>2026-10-01</c>, the whole UTC day). A sample with
/// <c>start</c>/<c>end</c> that spans several UTC days is spread over them by time, and the parts add up to the value
/// exactly. Values must be zero or positive. The first bad line refuses the whole text (all-or-nothing), naming the
/// line and column. With a tag policy, dimension keys and values are normalised like tags, so they match cost rows.
/// </para>
/// </summary>
public static class UsageCsv
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static IReadOnlyList<UsageSample> Parse(string csvText, string sourceName, TagPolicy? policy = null) =>
        Read(csvText, sourceName, policy).ToList();

    /// <summary>
    /// The samples of <paramref name="csvText"/> one line at a time, as <see cref="Parse"/> reads them (the same samples,
    /// the same error at the same line, raised when the reader reaches it), so an import of millions of lines streams
    /// them into its session instead of holding them all.
    /// </summary>
    public static IEnumerable<UsageSample> Read(string csvText, string sourceName, TagPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        return ReadSamples(CsvText.Records(csvText, sourceName), sourceName, policy);
    }

    /// <summary>
    /// The samples of a UTF-8 usage file read from <paramref name="utf8"/> a block at a time (<see cref="CsvText.Records(Stream, string)"/>),
    /// as <see cref="Read(string, string, TagPolicy?)"/> reads its text: a file of millions of lines is never held whole.
    /// </summary>
    public static IEnumerable<UsageSample> Read(Stream utf8, string sourceName, TagPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        return ReadSamples(CsvText.Records(utf8, sourceName), sourceName, policy);
    }

    private static IEnumerable<UsageSample> ReadSamples(IEnumerable<CsvRecord> csvRecords, string sourceName, TagPolicy? policy)
    {
        using var records = csvRecords.GetEnumerator();
        if (!records.MoveNext())
        {
            throw new UserInputException($"{sourceName}: the file is empty; expected a header such as timestamp,team,metric,value.");
        }

        var header = records.Current;
        var columns = CsvText.Header(header, sourceName);
        var hasTimestamp = columns.ContainsKey("timestamp");
        var hasWindow = columns.ContainsKey("start") || columns.ContainsKey("end");
        if (hasTimestamp == hasWindow || (hasWindow && !(columns.ContainsKey("start") && columns.ContainsKey("end"))))
        {
            throw new UserInputException($"{sourceName}: line {header.Line}: give either a timestamp column or both start and end columns.");
        }

        foreach (var required in new[] { "metric", "value" })
        {
            if (!columns.ContainsKey(required))
            {
                throw new UserInputException($"{sourceName}: line {header.Line}: missing column '{required}'; the header needs timestamp (or start,end), metric, value and dimension columns.");
            }
        }

        string[] reserved = ["timestamp", "start", "end", "metric", "value"];
        var dimensions = columns
            .Where(c => !reserved.Contains(c.Key, StringComparer.OrdinalIgnoreCase))
            .Select(c => (Index: c.Value, Key: policy?.CanonicalKey(c.Key) ?? c.Key.Trim()))
            .OrderBy(c => c.Index)
            .ToList();
        var duplicate = dimensions.GroupBy(d => d.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UserInputException($"{sourceName}: line {header.Line}: two columns are the dimension '{duplicate.Key}' after tag normalisation.");
        }

        // Hourly series repeat one timestamp on every resource's line: the last one parsed is reused (only when the text is
        // the same, so the value and any error are exactly the parser's).
        string? lastTimeText = null;
        var lastTime = default(DateTimeOffset);
        var metricColumn = columns["metric"];
        var valueColumn = columns["value"];
        var timestampColumn = hasTimestamp ? columns["timestamp"] : -1;
        var dimensionSets = new DimensionSets(dimensions, policy);
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Fields.Count != header.Fields.Count)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}: {record.Fields.Count} fields, the header has {header.Fields.Count}.");
            }

            string Field(string name) => record.Fields[columns[name]].Trim();
            string Where(string name) => $"{sourceName}: line {record.Line}, column {columns[name] + 1}";

            var metric = record.Fields[metricColumn].Trim();
            if (metric.Length == 0)
            {
                throw new UserInputException($"{Where("metric")}: metric is empty.");
            }

            var valueText = record.Fields[valueColumn];
            if (Monetary.ExactDecimal.TryParse(valueText, out var value) is { } valueError)
            {
                valueText = valueText.Trim();
                throw new UserInputException($"{Where("value")}: value '{valueText}' {valueError} (use a dot for decimals; up to {Monetary.ExactDecimal.MaxScale} decimal places and {Monetary.ExactDecimal.MaxIntegerDigits} digits before the point).");
            }

            if (value < 0m)
            {
                throw new UserInputException($"{Where("value")}: value {valueText.Trim()} is negative; usage cannot be negative.");
            }

            var dims = dimensionSets.Of(record.Fields);
            if (hasTimestamp)
            {
                var timeText = record.Fields[timestampColumn].Trim();
                if (!string.Equals(timeText, lastTimeText, StringComparison.Ordinal))
                {
                    lastTime = ParseTime(timeText, sourceName, record.Line, timestampColumn, "timestamp");
                    lastTimeText = timeText;
                }

                var at = lastTime;
                // The measured instant is kept (sample_start) so gauges read per hour; daily views sum it into its day as before.
                yield return new UsageSample(DateOnly.FromDateTime(at.UtcDateTime), metric, value, dims) { Start = at.UtcDateTime };
                continue;
            }

            var start = ParseTime(Field("start"), sourceName, record.Line, columns["start"], "start");
            var end = ParseTime(Field("end"), sourceName, record.Line, columns["end"], "end", endOfDateOnly: true);
            if (end <= start)
            {
                throw new UserInputException($"{Where("end")}: end {Field("end")} is not after start {Field("start")}.");
            }

            if (end - start > MaxWindow)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"{Where("end")}: the window {Field("start")} to {Field("end")} is longer than {MaxWindow.TotalDays:0} days; split it into windows of a year at most (each is spread over its days)."));
            }

            foreach (var part in SpreadOverDays(start, end, metric, value, dims))
            {
                yield return part;
            }
        }
    }

    /// <summary>The longest window a line may give: a year (a leap one), spread over at most 367 days.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <summary>
    /// Splits a window's value over the UTC days it touches, by time. Each part is rounded to the 18 places the store
    /// keeps and the last day takes what is left, so the stored parts sum exactly to the value (1 over three days is
    /// 0.333333333333333333 + 0.333333333333333333 + 0.333333333333333334). The share is computed first and the value
    /// multiplied by it, which cannot overflow (a share is at most 1).
    /// </summary>
    private static IEnumerable<UsageSample> SpreadOverDays(DateTimeOffset start, DateTimeOffset end, string metric, decimal value, IReadOnlyDictionary<string, string?> dims)
    {
        var total = (decimal)(end - start).Ticks;
        var day = DateOnly.FromDateTime(start.UtcDateTime);
        var last = DateOnly.FromDateTime(end.AddTicks(-1).UtcDateTime);
        var given = 0m;
        while (day <= last)
        {
            if (day == last)
            {
                yield return new UsageSample(day, metric, value - given, dims);
                yield break;
            }

            var dayEnd = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var from = day == DateOnly.FromDateTime(start.UtcDateTime) ? start : new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var part = Math.Round(value * ((dayEnd - from).Ticks / total), Monetary.ExactDecimal.MaxScale, MidpointRounding.ToEven);
            given += part;
            yield return new UsageSample(day, metric, part, dims);
            day = day.AddDays(1);
        }
    }

    private static DateTimeOffset ParseTime(string text, string sourceName, int line, int index, string column, bool endOfDateOnly = false)
    {
        // Where the value is, formatted for an error only: on every line it would cost more than the parse.
        string Where() => $"{sourceName}: line {line}, column {index + 1}";
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (!Time.SupportedRange.Contains(date))
            {
                throw new UserInputException($"{Where()}: {column} '{text}' is outside the dates ModelMeter stores ({Time.SupportedRange.Text}).");
            }

            // A plain date is the whole UTC day: as a start its first instant, as an end the next day's (end exclusive).
            var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDateOnly ? dayStart.AddDays(1) : dayStart;
        }

        if (DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10))
        {
            // Compared as UTC ticks: converting 0001-01-01T00:00:00+14:00 to UTC would itself overflow.
            var utcTicks = at.Ticks - at.Offset.Ticks;
            if (utcTicks < Time.SupportedRange.First.Ticks || utcTicks > Time.SupportedRange.Last.Ticks)
            {
                throw new UserInputException($"{Where()}: {column} '{text}' is outside the instants ModelMeter stores ({Time.SupportedRange.Text}).");
            }

            return at;
        }

        throw new UserInputException($"{Where()}: {column} '{text}' is not ISO 8601 with Z or an offset (2026-10-01T14:00:00Z) or a date (2026-10-01).");
    }

    /// <summary>
    /// The dimensions of each line, one dictionary per distinct set of raw values: an hourly series repeats a few
    /// hundred sets over millions of lines, so each set is normalised (with the tag policy) once and every sample of it
    /// shares the one dictionary, which the store then turns into its key and value lists once. Bounded: past
    /// <see cref="MaxSets"/> distinct sets it starts over, so a file of unique sets costs no more memory than before.
    /// </summary>
    private sealed class DimensionSets(List<(int Index, string Key)> dimensions, TagPolicy? policy)
    {
        private const int MaxSets = 4096;
        private readonly Dictionary<string[], IReadOnlyDictionary<string, string?>> _sets = new(RawValuesComparer.Instance);
        private readonly string[] _scratch = new string[dimensions.Count];

        public IReadOnlyDictionary<string, string?> Of(IReadOnlyList<string> fields)
        {
            for (var d = 0; d < dimensions.Count; d++)
            {
                _scratch[d] = fields[dimensions[d].Index];
            }

            if (_sets.TryGetValue(_scratch, out var known))
            {
                return known;
            }

            var dims = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (index, key) in dimensions)
            {
                var raw = fields[index];
                var normalized = policy is null ? (string.IsNullOrWhiteSpace(raw) ? null : raw.Trim()) : policy.NormalizeValue(key, raw);
                if (normalized is not null)
                {
                    dims[key] = normalized;
                }
            }

            if (_sets.Count == MaxSets)
            {
                _sets.Clear();
            }

            _sets[(string[])_scratch.Clone()] = dims;
            return dims;
        }
    }

    private sealed class RawValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly RawValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x.AsSpan().SequenceEqual(y, StringComparer.Ordinal);

        public int GetHashCode(string[] values)
        {
            var hash = new HashCode();
            foreach (var value in values)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
