using System.Collections.Frozen;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Native;

/// <summary>
/// Maps the records of one file of a provider's export onto FOCUS line items. The base class holds what every provider
/// needs: fields found by name, values read strictly with the file, line and column of every problem, repeated values
/// pooled (an hourly bill repeats its names and tags on thousands of rows), amounts kept exactly and rounded only where
/// the store's scale forces it (counted, so the report can say so).
/// </summary>
internal abstract class ExportMapper
{
    private const int TagCacheLimit = 100_000;

    private static readonly string[] NumberNames = FocusSchema.Columns
        .Where(c => c.Kind == FocusColumnKind.Number).OrderBy(c => c.Slot).Select(c => c.Name).ToArray();

    private readonly string _lineWord;
    private readonly FrozenDictionary<string, int> _fields;
    private readonly StringPool[] _pools;
    private readonly TimestampCache[] _timestamps;
    private readonly Dictionary<string, ParsedKeyValues> _tags = new(StringComparer.Ordinal);
    private List<ImportProblem> _problems = [];
    private long _line;
    private int _problemsBefore;

    /// <param name="file">The file, for messages.</param>
    /// <param name="header">Its column names as written.</param>
    /// <param name="names">The same columns under the names the mapper looks them up by (case and spelling normalised).</param>
    /// <param name="lineWord"><c>line</c> or <c>row</c> (Parquet).</param>
    protected ExportMapper(string file, IReadOnlyList<string> header, IReadOnlyList<string> names, string lineWord)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(names);
        File = file;
        Header = header;
        _lineWord = lineWord;
        var fields = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                continue;
            }

            if (fields.TryGetValue(names[i], out var first))
            {
                throw new UserInputException(
                    $"{Path.GetFileName(file)}: line 1, column {i + 1}: column '{header[i]}' is column '{header[first]}' (column {first + 1}) again; each column may appear once.");
            }

            fields[names[i]] = i;
        }

        _fields = fields.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _pools = Enumerable.Range(0, header.Count).Select(_ => new StringPool()).ToArray();
        _timestamps = Enumerable.Range(0, header.Count).Select(_ => new TimestampCache()).ToArray();
    }

    public string File { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>What the file is, for the report: <c>CUR 2.0</c>, <c>legacy CUR</c>, <c>EA (CostInBillingCurrency)</c>.</summary>
    public abstract string Format { get; }

    /// <summary>Columns of the file the mapping does not read (named in the report), once the file is read.</summary>
    public virtual IReadOnlyList<string> IgnoredColumns => Ignored;

    protected IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>The provider's own amount of the row just mapped (its rule for what the invoice charges), as the store keeps it.</summary>
    public decimal ProviderAmount { get; protected set; }

    /// <summary>
    /// Which FOCUS column the provider's amounts add up to for this file (<c>BilledCost</c>, or <c>EffectiveCost</c> for
    /// Azure's amortized exports): known once the file is read.
    /// </summary>
    public virtual string ProviderColumn => "BilledCost";

    /// <summary>Values of the row just mapped that had more decimal places than the store keeps, and were rounded.</summary>
    public int RowRounded { get; private set; }

    /// <summary>What rounding changed on the row just mapped: its BilledCost and EffectiveCost (stored minus as written).</summary>
    public decimal RowBilledChange { get; private set; }

    public decimal RowEffectiveChange { get; private set; }

    /// <summary>The largest change rounding made to a value of the row just mapped.</summary>
    public decimal RowLargestChange { get; private set; }

    /// <summary>The columns rounding touched on the row just mapped (FOCUS names).</summary>
    public HashSet<string> RoundedColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>Maps the current record into <paramref name="row"/>; adds what is wrong to <paramref name="problems"/>.</summary>
    /// <returns>True when the row is valid.</returns>
    public bool Map(IFocusRecordSource source, LineItemRow row, List<ImportProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(row);
        row.Clear();
        _problems = problems;
        _problemsBefore = problems.Count;
        _line = source.Line;
        RowRounded = 0;
        RowBilledChange = 0;
        RowEffectiveChange = 0;
        RowLargestChange = 0;
        RoundedColumns.Clear();
        ProviderAmount = 0;
        if (source.RecordError is { } structural)
        {
            ProblemAt(source.RecordErrorField, null, null, structural);
        }

        var (fields, expected) = FieldCounts(source);
        if (fields != expected)
        {
            ProblemAt(Math.Min(fields, expected) + 1, null, null,
                $"has {fields} fields but the header has {expected}; check for an unquoted comma or a missing field");
            return false;
        }

        MapRecord(source, row);
        return problems.Count == _problemsBefore;
    }

    /// <summary>
    /// Why the file as a whole cannot be imported, once all its rows are read (an Azure file mixing actual and amortized
    /// rows), or null.
    /// </summary>
    public virtual string? Complete() => null;

    /// <summary>Notes about the file for the person importing it (what its dataset leaves out), once it is read.</summary>
    public virtual IReadOnlyList<string> Notes => [];

    /// <summary>What the file's rows are (Azure: <c>actual</c>, <c>amortized</c>), once it is read; null when it does not apply.</summary>
    public virtual string? Dataset => null;

    /// <summary>Fills the row from the current record; reports problems through <see cref="Problem"/>.</summary>
    protected abstract void MapRecord(IFocusRecordSource source, LineItemRow row);

    /// <summary>True when a problem was found in the row being mapped.</summary>
    protected bool Failed => _problems.Count > _problemsBefore;

    /// <summary>The field of the first of <paramref name="names"/> the file has, or -1.</summary>
    protected int Field(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (_fields.TryGetValue(name, out var field))
            {
                return field;
            }
        }

        return -1;
    }

    protected bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>The names (as normalised) of the file's columns, for the checks of a header.</summary>
    protected IEnumerable<string> Names => _fields.Keys;

    /// <summary>True when the field is missing or its value is empty, <c>null</c> or <c>NULL</c>.</summary>
    protected static bool IsNull(IFocusRecordSource source, int field) => field < 0 || ValueParsers.IsNull(source[field].Trim());

    /// <summary>The trimmed text of a field (one shared instance per distinct value), or null.</summary>
    protected string? Text(IFocusRecordSource source, int field)
    {
        if (field < 0)
        {
            return null;
        }

        var text = source[field].Trim();
        return ValueParsers.IsNull(text) ? null : _pools[field].Get(text);
    }

    /// <summary>The raw span of a field, trimmed; empty when missing.</summary>
    protected static ReadOnlySpan<char> Span(IFocusRecordSource source, int field) => field < 0 ? default : source[field].Trim();

    /// <summary>An amount exactly as written (28 significant digits), or null when empty; a problem when it is not a number.</summary>
    protected decimal? Amount(IFocusRecordSource source, int field)
    {
        if (IsNull(source, field))
        {
            return null;
        }

        var text = source[field];
        if (ValueParsers.TryParseAmount(text, out var exact, out _, out _) is { } error)
        {
            Problem(field, text, error);
            return null;
        }

        return exact;
    }

    /// <summary>An instant (ISO 8601, as <see cref="ValueParsers.TryParseTimestamp"/> reads it), or null when empty.</summary>
    protected DateTime? Instant(IFocusRecordSource source, int field)
    {
        if (IsNull(source, field))
        {
            return null;
        }

        var text = source[field];
        if (_timestamps[field].Parse(text, out var instant) is { } error)
        {
            Problem(field, text, error);
            return null;
        }

        return instant;
    }

    /// <summary>Stores a number in its slot, rounded half to even to the store's 18 places if it has more (counted).</summary>
    protected void SetNumber(LineItemRow row, int slot, decimal? exact)
    {
        if (exact is not { } value)
        {
            row.Decimals[slot] = null;
            return;
        }

        var stored = Math.Round(value, ValueParsers.MaxScale, MidpointRounding.ToEven);
        row.Decimals[slot] = stored;
        if (stored == value)
        {
            // Nothing lost (at most trailing zeros dropped).
            return;
        }

        var change = stored - value;
        RowRounded++;
        RoundedColumns.Add(NumberNames[slot]);
        if (Math.Abs(change) > RowLargestChange)
        {
            RowLargestChange = Math.Abs(change);
        }

        if (slot == FocusSlots.BilledCost)
        {
            RowBilledChange += change;
        }
        else if (slot == FocusSlots.EffectiveCost)
        {
            RowEffectiveChange += change;
        }
    }

    /// <summary>The provider's amount of the row, rounded as the store keeps amounts.</summary>
    protected void SetProviderAmount(decimal exact) =>
        ProviderAmount = Math.Round(exact, ValueParsers.MaxScale, MidpointRounding.ToEven);

    /// <summary>A currency code (upper-cased when written in lower case), or a problem.</summary>
    protected string? Currency(IFocusRecordSource source, int field)
    {
        var text = Span(source, field);
        if (text.IsEmpty || ValueParsers.IsNull(text))
        {
            return null;
        }

        if (text.Length == 3 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) && char.IsAsciiLetter(text[2]))
        {
            Span<char> upper = stackalloc char[3];
            text.ToUpperInvariant(upper);
            return _pools[field].Get(upper);
        }

        Problem(field, text, "is not an ISO 4217 currency code such as USD or EUR (three letters)");
        return null;
    }

    /// <summary>
    /// The tag set cached under <paramref name="key"/> (the text it was read from), built once by <paramref name="build"/>;
    /// a tag set that cannot be read is a problem on <paramref name="field"/>.
    /// </summary>
    protected void SetTags(LineItemRow row, ReadOnlySpan<char> key, int field, Func<string, ParsedKeyValues> build)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(build);
        var lookup = _tags.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(key, out var parsed))
        {
            if (_tags.Count >= TagCacheLimit)
            {
                _tags.Clear();
            }

            var text = new string(key);
            parsed = build(text);
            _tags[text] = parsed;
        }

        if (parsed.Error is not null)
        {
            Problem(field, key, parsed.Error);
            return;
        }

        row.KeyValues[FocusSlots.Tags].CopyFrom(parsed.Pairs);
        Array.Copy(parsed.Hierarchy, row.Hierarchy, row.Hierarchy.Length);
    }

    /// <summary>Records a problem on a field (0-based; -1 for the whole line) of the current record.</summary>
    protected void Problem(int field, ReadOnlySpan<char> value, string message)
    {
        var (column, name) = field < 0 ? (0, null) : Locate(field);
        ProblemAt(column, name, value, message);
    }

    /// <summary>The file's 1-based column and its name, for a field the mapper reads (GCP reads members out of records).</summary>
    protected virtual (int Column, string? Name) Locate(int field) => (field + 1, field < Header.Count ? Header[field] : null);

    /// <summary>The record's fields and the header's, which must agree.</summary>
    protected virtual (int Fields, int Expected) FieldCounts(IFocusRecordSource source) => (source.FieldCount, Header.Count);

    private void ProblemAt(int column, string? name, ReadOnlySpan<char> value, string message) =>
        _problems.Add(new ImportProblem(File, _line, column, name, value.IsEmpty ? null : new string(value), message, _lineWord));

    /// <summary>Refuses a header that lacks columns the mapping cannot do without, naming them as the export spells them.</summary>
    protected static void RequireColumns(string file, string export, IReadOnlyList<string> missing, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(missing);
        if (missing.Count > 0)
        {
            throw new UserInputException(
                $"{Path.GetFileName(file)}: line 1: this is not {export}: {(missing.Count == 1 ? "the column" : $"{missing.Count} columns")} " +
                $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. Columns are matched by name, in any case.{(hint is null ? "" : " " + hint)}");
        }
    }
}
