using System.Text.Json;
using ModelMeter.Core.Billing;

namespace ModelMeter.Import.Focus;

/// <summary>
/// Turns one record's text fields into a validated <see cref="LineItemRow"/>. Repeated values (tag documents,
/// timestamps, names) are cached per column, which is what makes a million-row import fast: hourly bills repeat
/// the same resource's tags and the same hour's timestamps thousands of times.
/// </summary>
internal sealed class FocusRowParser
{
    private static readonly int BilledCost = FocusSchema.Get("BilledCost").Slot;
    private static readonly int EffectiveCost = FocusSchema.Get("EffectiveCost").Slot;
    private static readonly int ListCost = FocusSchema.Get("ListCost").Slot;
    private static readonly int ContractedCost = FocusSchema.Get("ContractedCost").Slot;
    private static readonly int ProviderName = FocusSchema.Get("ProviderName").Slot;
    private static readonly int ServiceProviderName = FocusSchema.Get("ServiceProviderName").Slot;
    private static readonly int Tags = FocusSchema.Get("Tags").Slot;

    private readonly string _file;
    private readonly FocusHeader _header;
    private readonly string _lineWord;
    private readonly StringPool?[] _pools;
    private readonly TimestampCache?[] _timestamps;
    private readonly Dictionary<string, ParsedKeyValues>?[] _keyValueCaches;
    private readonly long[] _keyValueChars;
    private readonly Core.Text.CacheWorth[] _keyValueWorth;

    // About 8 MB of tag-document text per key-value column: thousands of documents of an ordinary bill fit many times over.
    private const long MaxCachedKeyValueChars = 4_000_000;
    private readonly int[] _fieldOfMandatory;
    private readonly bool[] _nullFields;

    // Rows of one description (IFocusRecordSource.DescriptionKey): the first valid one, without its per-row values, is
    // copied into the others, whose per-row fields alone are then parsed. Bounded, as each holds a row's texts.
    private const int MaxTemplates = 1 << 16;
    private static long s_lastKey;
    private readonly Dictionary<long, Template> _templates = [];
    private readonly int[] _allFields;
    private readonly int[] _perRowFields;

    public FocusRowParser(string file, FocusHeader header, string lineWord)
    {
        _file = file;
        _header = header;
        _lineWord = lineWord;
        _pools = new StringPool?[header.Names.Count];
        _nullFields = new bool[header.Names.Count];
        _timestamps = new TimestampCache?[header.Names.Count];
        _keyValueCaches = new Dictionary<string, ParsedKeyValues>?[header.Names.Count];
        _keyValueChars = new long[header.Names.Count];
        _keyValueWorth = new Core.Text.CacheWorth[header.Names.Count];
        for (var i = 0; i < header.Names.Count; i++)
        {
            switch (header.Columns[i]?.Kind)
            {
                case FocusColumnKind.Timestamp:
                    _timestamps[i] = new TimestampCache();
                    break;
                case FocusColumnKind.KeyValue:
                    _keyValueCaches[i] = new Dictionary<string, ParsedKeyValues>(StringComparer.Ordinal);
                    break;
                default:
                    _pools[i] = new StringPool();
                    break;
            }
        }

        // A null here leaves the row without a place in time or a currency: unusable, so refused. Other nulls FOCUS forbids
        // are conformance findings (FocusConformanceRules), and the row is kept.
        _fieldOfMandatory = FocusConformanceRules.UnusableWhenNull.Select(header.FieldOf).ToArray();
        _allFields = Enumerable.Range(0, header.Names.Count).ToArray();
        _perRowFields = _allFields.Where(i => !header.Describes(i)).ToArray();
    }

    /// <summary>Which FOCUS fields of the record last parsed are null (empty, <c>null</c> or <c>NULL</c>): for the conformance checks.</summary>
    public ReadOnlySpan<bool> NullFields => _nullFields;

    /// <summary>Parses the current record into <paramref name="row"/>; adds what is wrong to <paramref name="problems"/>.</summary>
    /// <returns>True when the row is valid.</returns>
    public bool Parse(IFocusRecordSource source, LineItemRow row, List<ImportProblem> problems)
    {
        row.Clear();
        var before = problems.Count;
        var line = source.Line;
        if (source.RecordError is { } structural)
        {
            Add(problems, line, source.RecordErrorField, null, structural);
        }

        if (source.FieldCount != _header.Names.Count)
        {
            Add(problems, line, Math.Min(source.FieldCount, _header.Names.Count) + 1, null,
                $"has {source.FieldCount} fields but the header has {_header.Names.Count}; check for an unquoted comma or a missing field");
            return false;
        }

        var key = source.DescriptionKey;
        Template? template = null;
        if (key != 0 && problems.Count == before && _templates.TryGetValue(key, out template))
        {
            template.CopyTo(row, _nullFields);
        }

        ReadOnlySpan<int> fields = template is null ? _allFields : _perRowFields;
        Span<char> currencyBuffer = stackalloc char[3];
        foreach (var i in fields)
        {
            var text = source[i];
            if (_header.IsCustom[i])
            {
                if (!ValueParsers.IsNull(text))
                {
                    row.Custom.Add(_header.Names[i], _pools[i]!.Get(text));
                }

                continue;
            }

            var column = _header.Columns[i];
            var isNull = ValueParsers.IsNull(text);
            _nullFields[i] = isNull;
            if (column is null || isNull)
            {
                continue;
            }

            switch (column.Kind)
            {
                case FocusColumnKind.Text:
                    row.Text[column.Slot] = _pools[i]!.Get(text.Trim());
                    break;
                case FocusColumnKind.Currency:
                    var code = text.Trim();
                    if (Core.Monetary.Currency.IsKnown(code))
                    {
                        row.Text[column.Slot] = _pools[i]!.Get(code);
                    }
                    else if (code.Length == 3 && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) && char.IsAsciiLetter(code[2])
                             && Core.Monetary.Currency.IsKnown(Upper(code, currencyBuffer)))
                    {
                        // 'usd' is readable: totals are kept per code, so it is stored as USD and reported (CurrencyFormat).
                        row.Text[column.Slot] = _pools[i]!.Get(currencyBuffer);
                    }
                    else
                    {
                        // A code not on the ISO 4217 list (ZZZ) has no minor unit and converts at no rate: the money has no currency.
                        Add(problems, line, i + 1, text, $"is not {Core.Monetary.Currency.Expected}");
                    }

                    break;
                case FocusColumnKind.Enumeration:
                    // Reports group and filter on these, so a case variant or 1.0-preview alias is stored in FOCUS spelling; any
                    // other value is stored as written. Either way the conformance check reports the value as written.
                    var lookup = column.AllowedValues!.GetAlternateLookup<ReadOnlySpan<char>>();
                    var trimmed = text.Trim();
                    row.Text[column.Slot] = lookup.TryGetValue(trimmed, out var canonical) ? canonical : _pools[i]!.Get(trimmed);
                    break;
                case FocusColumnKind.Number:
                    if (ValueParsers.TryParseDecimal(text, out var number) is { } numberError)
                    {
                        Add(problems, line, i + 1, text, numberError);
                    }
                    else
                    {
                        row.Decimals[column.Slot] = number;
                    }

                    break;
                case FocusColumnKind.Timestamp:
                    if (_timestamps[i]!.Parse(text, out var instant) is { } timeError)
                    {
                        Add(problems, line, i + 1, text, timeError);
                    }
                    else
                    {
                        row.Timestamps[column.Slot] = instant;
                    }

                    break;
                case FocusColumnKind.Json:
                    var json = _pools[i]!.Get(text);
                    if (!IsValidJson(json))
                    {
                        Add(problems, line, i + 1, text, "is not valid JSON");
                    }
                    else
                    {
                        row.Text[column.Slot] = json;
                    }

                    break;
                case FocusColumnKind.KeyValue:
                    var parsed = ParseKeyValues(i, text);
                    if (parsed.Error is not null)
                    {
                        Add(problems, line, i + 1, text, parsed.Error);
                    }
                    else
                    {
                        row.KeyValues[column.Slot].CopyFrom(parsed.Pairs);
                        if (column.Slot == Tags)
                        {
                            Array.Copy(parsed.Hierarchy, row.Hierarchy, row.Hierarchy.Length);
                        }
                    }

                    break;
            }
        }

        foreach (var field in _fieldOfMandatory)
        {
            if (field >= 0 && _nullFields[field])
            {
                Add(problems, line, field + 1, null, $"{_header.Names[field]} is empty; FOCUS requires a value on every row, and without it the cost has no period or currency to be reported in");
            }
        }

        row.Text[ProviderName] ??= row.Text[ServiceProviderName];
        var valid = problems.Count == before;
        if (template is not null)
        {
            row.DescriptionKey = template.Key;
        }
        else if (key != 0 && valid && source.RecordError is null && _templates.Count < MaxTemplates)
        {
            template = new Template(row, _nullFields, Interlocked.Increment(ref s_lastKey));
            _templates[key] = template;
            row.DescriptionKey = template.Key;
        }

        return valid;
    }

    /// <summary>
    /// A valid row's description: every slot but those that <see cref="FocusColumn.VariesPerRow"/>, and which fields
    /// were null, under a number no other description of any import in this process has.
    /// </summary>
    private sealed class Template
    {
        private static readonly int[] PerRowTimestamps =
            FocusSchema.Columns.Where(c => c is { Kind: FocusColumnKind.Timestamp, VariesPerRow: true }).Select(c => c.Slot).ToArray();

        private readonly LineItemRow _row = new();
        private readonly bool[] _nulls;

        public Template(LineItemRow row, bool[] nulls, long key)
        {
            Key = key;
            _nulls = (bool[])nulls.Clone();
            Copy(row, _row);
            foreach (var slot in PerRowTimestamps)
            {
                _row.Timestamps[slot] = null;
            }
        }

        public long Key { get; }

        /// <summary>Fills a cleared row with the description (the amounts and charge period are left null).</summary>
        public void CopyTo(LineItemRow row, bool[] nulls)
        {
            Copy(_row, row);
            _nulls.CopyTo(nulls, 0);
        }

        private static void Copy(LineItemRow from, LineItemRow to)
        {
            Array.Copy(from.Text, to.Text, from.Text.Length);
            Array.Copy(from.Timestamps, to.Timestamps, from.Timestamps.Length);
            Array.Copy(from.Hierarchy, to.Hierarchy, from.Hierarchy.Length);
            for (var i = 0; i < from.KeyValues.Length; i++)
            {
                CopyList(from.KeyValues[i], to.KeyValues[i]);
            }

            CopyList(from.Custom, to.Custom);
        }

        // The pairs and what they were parsed from as they are: a null source must stay null, as the store takes a
        // source for the identity of its (unchanging) pairs, and the row copied from is reused for other rows.
        private static void CopyList(KeyValueList from, KeyValueList to)
        {
            to.CopyFrom(from);
            to.Source = from.Source;
        }
    }

    private static ReadOnlySpan<char> Upper(ReadOnlySpan<char> code, Span<char> buffer)
    {
        code.ToUpperInvariant(buffer);
        return buffer;
    }

    /// <summary>The sum of a cost column over valid rows, for the conformance report.</summary>
    public static decimal? Cost(LineItemRow row, string column) => column switch
    {
        "BilledCost" => row.Decimals[BilledCost],
        "EffectiveCost" => row.Decimals[EffectiveCost],
        "ListCost" => row.Decimals[ListCost],
        "ContractedCost" => row.Decimals[ContractedCost],
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private void Add(List<ImportProblem> problems, long line, int column, ReadOnlySpan<char> value, string message)
    {
        var name = column >= 1 && column <= _header.Names.Count ? _header.Names[column - 1] : null;
        problems.Add(new ImportProblem(_file, line, column, name, value.IsEmpty ? null : new string(value), message, _lineWord));
    }

    private void Add(List<ImportProblem> problems, long line, int column, string? value, string message)
    {
        var name = column >= 1 && column <= _header.Names.Count ? _header.Names[column - 1] : null;
        problems.Add(new ImportProblem(_file, line, column, name, value, message, _lineWord));
    }

    private ParsedKeyValues ParseKeyValues(int field, ReadOnlySpan<char> text)
    {
        ref var worth = ref _keyValueWorth[field];
        if (!worth.InUse())
        {
            return ParsedKeyValues.Parse(text);
        }

        var cache = _keyValueCaches[field]!;
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = lookup.TryGetValue(text, out var cached);
        if (worth.Record(found))
        {
            cache.Clear();
            _keyValueChars[field] = 0;
        }

        if (found)
        {
            return cached!;
        }

        // Bounded by entries and by text: a file with a tag document of its own on every row would otherwise keep the
        // last 100,000 documents (and their parsed lists) alive, hundreds of megabytes, for no hits.
        if (cache.Count >= 100_000 || _keyValueChars[field] + text.Length > MaxCachedKeyValueChars)
        {
            cache.Clear();
            _keyValueChars[field] = 0;
        }

        var key = new string(text);
        var parsed = ParsedKeyValues.Parse(key);
        if (worth.InUseNow)
        {
            _keyValueChars[field] += text.Length;
            cache[key] = parsed;
        }

        return parsed;
    }

    private static bool IsValidJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
