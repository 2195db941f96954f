using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using ModelMeter.Core.Attribution;

namespace ModelMeter.Core.Allocation;

/// <summary>One problem of a refused usage batch: the event's index (from 0, in the order sent) and what is wrong.</summary>
/// <param name="Forbidden">The event is well formed but the caller may not write it (another team's usage).</param>
public sealed record UsageEventProblem(int Index, string Reason, bool Forbidden = false);

/// <summary>
/// A usage batch read and checked: how many events it held, their values summed per UTC day, metric and (raw)
/// dimension set, ready for <c>usage_samples</c>, and every problem found. A batch with any problem is refused whole.
/// </summary>
public sealed record UsageEventBatch(int Events, IReadOnlyList<UsageSample> Samples, IReadOnlyList<UsageEventProblem> Problems, int ProblemCount)
{
    public bool Refused => ProblemCount > 0;
}

/// <summary>
/// Reads the body of <c>POST /api/v1/usage</c>: a JSON array of events, or JSON lines (one event per line). Each event
/// is a flat object: <c>timestamp</c> (ISO 8601 with <c>Z</c> or an offset), <c>metric</c> (text), <c>value</c>
/// (a number, zero or more) and every other field a dimension with a text value (<c>model</c>, <c>team</c>,
/// <c>endpoint</c>, <c>resource_id</c> ...), as <c>import usage</c> reads CSV columns. Dimensions are checked through
/// the tag policy (two fields may not become one dimension) and stored as written, so a later policy applies to them.
/// <para>
/// Events are summed while they are read (a batch of a thousand predictions of one model is one row per day), with
/// the strings of repeated metrics, keys and values shared: reading is the hot path of a serving fleet's metering.
/// </para>
/// </summary>
public sealed class UsageEventReader
{
    /// <summary>How many problems a refusal lists; the count says how many there were.</summary>
    public const int ProblemsListed = 100;

    private const int MaxText = 256;

    private readonly TagPolicy _policy;
    private readonly string? _team;
    private readonly DateTimeOffset _latest;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _canonical = new(StringComparer.Ordinal);
    private readonly Dictionary<AggregateKey, decimal> _sums = new();
    private readonly List<UsageEventProblem> _problems = [];
    private readonly List<(string Key, string Value)> _dimensions = [];
    private readonly AggregateKey _probe = new();
    private readonly char[] _chars = new char[MaxText];
    private int _problemCount;

    /// <param name="policy">The tag policy dimensions are checked with.</param>
    /// <param name="team">The only team the caller may write usage for (its key's team), or null for any.</param>
    /// <param name="nowUtc">Now: an event more than a day ahead of it is refused (a clock gone wrong would bill the future).</param>
    public UsageEventReader(TagPolicy policy, string? team, DateTimeOffset nowUtc)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _team = team;
        _latest = nowUtc.AddDays(1);
    }

    /// <summary>Reads one batch (a reader reads one batch; make a new one for the next).</summary>
    /// <param name="body">The request body, UTF-8.</param>
    /// <param name="maxEvents">The most events a batch may hold.</param>
    public UsageEventBatch Read(ReadOnlySequence<byte> body, int maxEvents)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 4 });
        var events = 0;
        try
        {
            if (!reader.Read())
            {
                return Refuse(0, "the body is empty; send a JSON array of events or one event per line", events);
            }

            var array = reader.TokenType == JsonTokenType.StartArray;
            if (array && !reader.Read())
            {
                return Refuse(0, "the JSON array is not closed", events);
            }

            while (true)
            {
                if (array && reader.TokenType == JsonTokenType.EndArray)
                {
                    if (reader.Read())
                    {
                        Problem(events, "text after the closing ] of the array");
                    }

                    break;
                }

                if (events >= maxEvents)
                {
                    return Refuse(events, $"the batch holds more than {maxEvents:N0} events; send at most {maxEvents:N0} per request", events);
                }

                ReadEvent(ref reader, events);
                events++;
                if (!reader.Read())
                {
                    if (array)
                    {
                        Problem(events, "the JSON array is not closed");
                    }

                    break;
                }
            }
        }
        catch (JsonException e)
        {
            // The reader cannot go on past broken JSON: the event it was in is the one named.
            Problem(events, $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        if (events == 0 && _problemCount == 0)
        {
            Problem(0, "the batch holds no events");
        }

        if (_problemCount > 0)
        {
            return new UsageEventBatch(events, [], _problems, _problemCount);
        }

        var samples = _sums.Select(s => new UsageSample(s.Key.Day, s.Key.Metric, s.Value, s.Key.Dimensions())).ToList();
        return new UsageEventBatch(events, samples, [], 0);
    }

    private UsageEventBatch Refuse(int index, string reason, int events)
    {
        Problem(index, reason);
        return new UsageEventBatch(events, [], _problems, _problemCount);
    }

    private void ReadEvent(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            Problem(index, $"an event is a JSON object, not {Describe(reader.TokenType)}");
            reader.Skip();
            return;
        }

        DateTimeOffset? timestamp = null;
        string? metric = null;
        decimal? value = null;
        string? problem = null;
        var forbidden = false;
        _dimensions.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The three known names are compared as UTF-8, without making strings; dimension names are shared strings.
            var field = reader.ValueTextEquals("timestamp"u8) ? Field.Timestamp
                : reader.ValueTextEquals("metric"u8) ? Field.Metric
                : reader.ValueTextEquals("value"u8) ? Field.Value
                : Field.Dimension;
            var name = field == Field.Dimension ? Text(ref reader) : null;
            reader.Read();
            if (problem is not null)
            {
                reader.Skip();
                continue;
            }

            switch (field)
            {
                case Field.Timestamp:
                    if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var at) || !HasOffset(ref reader))
                    {
                        problem = $"timestamp {Shown(ref reader)} is not ISO 8601 with Z or an offset, such as 2026-10-01T14:00:00Z";
                    }
                    else if (at > _latest)
                    {
                        problem = $"timestamp {Shown(ref reader)} is more than a day in the future";
                    }
                    else
                    {
                        timestamp = at;
                    }

                    break;
                case Field.Metric:
                    metric = reader.TokenType == JsonTokenType.String ? Text(ref reader).Trim() : null;
                    if (metric is null || metric.Length == 0)
                    {
                        problem = $"metric {Shown(ref reader)} is not a non-empty text such as \"predictions\"";
                    }

                    break;
                case Field.Value:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var v))
                    {
                        problem = $"value {Shown(ref reader)} is not a number";
                    }
                    else if (v < 0m)
                    {
                        problem = $"value {v} is negative; usage cannot be negative";
                    }
                    else
                    {
                        value = v;
                    }

                    break;
                default:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        break;
                    }

                    if (reader.TokenType != JsonTokenType.String)
                    {
                        problem = $"field '{name}' is {Describe(reader.TokenType)}; every field other than timestamp, metric and value is a dimension with a text value";
                        reader.Skip();
                        break;
                    }

                    var text = Text(ref reader);
                    if (text.Trim().Length > 0)
                    {
                        _dimensions.Add((name!, text));
                    }

                    break;
            }
        }

        if (problem is null && (timestamp is null || metric is null || value is null))
        {
            var missing = new[] { timestamp is null ? "timestamp" : null, metric is null ? "metric" : null, value is null ? "value" : null }.OfType<string>();
            problem = $"missing {string.Join(", ", missing)}; an event needs timestamp, metric and value";
        }

        if (problem is null)
        {
            (problem, forbidden) = CheckDimensions();
        }

        if (problem is not null)
        {
            Problem(index, problem, forbidden);
            return;
        }

        if (_problemCount > 0)
        {
            return;
        }

        if (_dimensions.Count > 1)
        {
            _dimensions.Sort(ByKey);
        }

        // Most events add to a sum already there: look it up with a reused probe, and copy the key only for a new sum.
        _probe.Set(DateOnly.FromDateTime(timestamp!.Value.UtcDateTime), metric!, _dimensions);
        ref var sum = ref CollectionsMarshal.GetValueRefOrNullRef(_sums, _probe);
        if (Unsafe.IsNullRef(ref sum))
        {
            _sums.Add(_probe.Copy(), value!.Value);
        }
        else
        {
            sum += value!.Value;
        }
    }

    private static int ByKey((string Key, string Value) a, (string Key, string Value) b) => string.CompareOrdinal(a.Key, b.Key);

    private enum Field
    {
        Timestamp,
        Metric,
        Value,
        Dimension,
    }

    /// <summary>Two fields may not be one dimension; a team-scoped caller writes its own team's usage only (and gets it when it names none).</summary>
    private (string? Problem, bool Forbidden) CheckDimensions()
    {
        string? teamField = null;
        for (var i = 0; i < _dimensions.Count; i++)
        {
            var key = Canonical(_dimensions[i].Key);
            for (var j = 0; j < i; j++)
            {
                if (Canonical(_dimensions[j].Key) == key)
                {
                    return ($"fields '{_dimensions[j].Key}' and '{_dimensions[i].Key}' are the same dimension '{key}' under the tag policy", false);
                }
            }

            if (key == "team")
            {
                teamField = _dimensions[i].Key;
                if (_team is not null && _policy.NormalizeValue(key, _dimensions[i].Value) != _team)
                {
                    return ($"team '{_dimensions[i].Value}': this API key writes usage for team '{_team}' only", true);
                }
            }
        }

        if (_team is not null && teamField is null)
        {
            _dimensions.Add(("team", _team));
        }

        return (null, false);
    }

    private string Canonical(string key)
    {
        if (!_canonical.TryGetValue(key, out var canonical))
        {
            _canonical[key] = canonical = _policy.CanonicalKey(key);
        }

        return canonical;
    }

    /// <summary>A string token, shared with earlier equal ones (batches repeat a handful of metrics, keys and values).</summary>
    private string Text(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxText)
        {
            var longText = reader.GetString()!;
            return longText.Length > MaxText ? longText[..MaxText] : longText;
        }

        var written = reader.CopyString(_chars);
        var span = _chars.AsSpan(0, written);
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(span, out var shared))
        {
            return shared;
        }

        var text = new string(span);
        if (_strings.Count < 10_000)
        {
            _strings[text] = text;
        }

        return text;
    }

    private static bool HasOffset(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (raw.Length < 20)
        {
            return false;
        }

        var last = raw[^1];
        return last is (byte)'Z' or (byte)'z' || (raw.Length >= 6 && raw[^3] == (byte)':' && raw[^6] is (byte)'+' or (byte)'-');
    }

    private static string Shown(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "'" + Truncate(reader.GetString()!) + "'",
        JsonTokenType.Number => Truncate(System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)),
        _ => Describe(reader.TokenType),
    };

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "..." : text;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a text",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true/false",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private void Problem(int index, string reason, bool forbidden = false)
    {
        _problemCount++;
        if (_problems.Count < ProblemsListed)
        {
            _problems.Add(new UsageEventProblem(index, reason, forbidden));
        }
    }

    /// <summary>Day, metric and sorted dimensions: equal strings are shared, so comparing them is cheap.</summary>
    private sealed class AggregateKey : IEquatable<AggregateKey>
    {
        private (string Key, string Value)[] _dimensions = [];
        private int _count;
        private int _hash;

        public DateOnly Day { get; private set; }

        public string Metric { get; private set; } = "";

        public void Set(DateOnly day, string metric, List<(string Key, string Value)> dimensions)
        {
            Day = day;
            Metric = metric;
            if (_dimensions.Length < dimensions.Count)
            {
                _dimensions = new (string, string)[dimensions.Count * 2];
            }

            dimensions.CopyTo(_dimensions);
            _count = dimensions.Count;
            var hash = new HashCode();
            hash.Add(day);
            hash.Add(metric);
            for (var i = 0; i < _count; i++)
            {
                hash.Add(_dimensions[i].Key);
                hash.Add(_dimensions[i].Value);
            }

            _hash = hash.ToHashCode();
        }

        public AggregateKey Copy() => new() { Day = Day, Metric = Metric, _dimensions = _dimensions[.._count], _count = _count, _hash = _hash };

        public Dictionary<string, string?> Dimensions()
        {
            var map = new Dictionary<string, string?>(_count, StringComparer.Ordinal);
            for (var i = 0; i < _count; i++)
            {
                map[_dimensions[i].Key] = _dimensions[i].Value;
            }

            return map;
        }

        public bool Equals(AggregateKey? other)
        {
            if (other is null || other._hash != _hash || other._count != _count || other.Day != Day || !string.Equals(other.Metric, Metric, StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 0; i < _count; i++)
            {
                if (!string.Equals(other._dimensions[i].Key, _dimensions[i].Key, StringComparison.Ordinal) || !string.Equals(other._dimensions[i].Value, _dimensions[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as AggregateKey);

        public override int GetHashCode() => _hash;
    }
}
