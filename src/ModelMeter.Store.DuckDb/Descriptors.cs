using System.IO.Hashing;
using System.Runtime.InteropServices;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// The descriptions of an import's line items: every column but the charge period and the amounts, written once per
/// distinct combination and referred to from each row's facts, in two levels (<see cref="LineItemsTable"/>): the
/// descriptor (<see cref="LineItemsTable.DescriptorsTable"/>: resource, charge description, tag set) and its context
/// (<see cref="LineItemsTable.ContextsTable"/>: account, service, SKU, region, pricing, the hierarchy).
/// <para>
/// Each level finds a row's combination the same way (<see cref="Distinct"/>): compared with the row before it first (a
/// resource's hours arrive together, and the parser hands out one string for a repeated text, so this is usually a few
/// reference comparisons); a row that differs is looked up by the 128-bit XxHash of its values, each written with its
/// length so no two different rows can be made to read the same. Two different descriptions share a hash with a
/// probability of about n²/2^129 (as <see cref="TagSets"/>). At most <see cref="RememberedLimit"/> hashes are kept a
/// level: a file where nearly every row is described differently (a unique resource id or description per row) would
/// otherwise grow this without bound; past it a description seen again gets a second row, which costs space, never a
/// wrong answer (each fact names its own descriptor, each descriptor its own context). For the same reason a level
/// whose recent lookups nearly all missed stops looking up for a while (<see cref="Core.Text.CacheWorth"/>).
/// </para>
/// <para>
/// A row whose reader knows its description is one already given (<see cref="LineItemRow.DescriptionKey"/>: the
/// Parquet reader asks DuckDB which rows share their descriptive values) is found by that number alone.
/// </para>
/// </summary>
internal sealed class Descriptors : IDisposable
{
    internal const int RememberedLimit = 1 << 18;

    private static readonly int TagsSlot = FocusSchema.Get("Tags").Slot;

    // Rows whose reader said they share a description (LineItemRow.DescriptionKey): found without reading their values.
    private readonly Dictionary<long, long> _byKey = [];
    private readonly TagSets _tagSets;
    private readonly Distinct _descriptors;
    private readonly Distinct _contexts;

    private Descriptors(TagSets tagSets, Distinct descriptors, Distinct contexts)
    {
        _tagSets = tagSets;
        _descriptors = descriptors;
        _contexts = contexts;
    }

    /// <summary>The descriptors first seen in this import so far.</summary>
    public long Added => _descriptors.Added;

    /// <summary>Starts the descriptions of an import, numbered after every descriptor and context in the store (within the import's transaction).</summary>
    public static Descriptors Start(DuckDbCostStore store, TagSets tagSets, long importId) => new(
        tagSets,
        Distinct.Start(store, importId, LineItemsTable.DescriptorsTable, LineItemsTable.DescriptorColumns, "line item descriptions"),
        Distinct.Start(store, importId, LineItemsTable.ContextsTable, LineItemsTable.ContextColumns, "line item contexts"));

    /// <summary>The descriptor of <paramref name="row"/>: the row before's, a known one, or a new one written now.</summary>
    public long IdOf(LineItemRow row)
    {
        var key = row.DescriptionKey;
        if (key != 0 && _byKey.TryGetValue(key, out var known))
        {
            return known;
        }

        var context = _contexts.IdOf(row, tagSet: 0, context: 0);
        var id = _descriptors.IdOf(row, _tagSets.IdOf(row.KeyValues[TagsSlot]), context);
        if (key != 0)
        {
            if (_byKey.Count >= RememberedLimit)
            {
                _byKey.Clear();
            }

            _byKey[key] = id;
        }

        return id;
    }

    /// <summary>Writes the last of the descriptions first seen in this import.</summary>
    public void Close()
    {
        _descriptors.Close();
        _contexts.Close();
    }

    public void Dispose()
    {
        try
        {
            _descriptors.Dispose();
        }
        finally
        {
            _contexts.Dispose();
        }
    }

    /// <summary>One level of the descriptions: the distinct combinations of its table's columns in an import.</summary>
    private sealed class Distinct : IDisposable
    {
        private readonly ColumnPlan _plan;
        private readonly Dictionary<UInt128, long> _byContent = [];
        private Core.Text.CacheWorth _worth;
        private readonly DuckDbCostStore _store;
        private readonly string _table;
        private readonly string _what;
        private readonly bool _isContext;
        private readonly long _importId;
        private char[] _buffer = new char[4096];
        private int _length;

        // The row before: its values by column (strings by reference, instants, list contents), its tag set and context.
        private readonly string?[] _lastText;
        private readonly DateTime?[] _lastInstant;
        private readonly List<string?>?[] _lastList;
        private long _lastTagSet = -1;
        private long _lastContext = -1;
        private long _lastId = -1;
        private DataChunkAppender? _added;
        private long _next;

        private Distinct(DuckDbCostStore store, long importId, string table, IReadOnlyList<StoredColumn> columns, string what, long next)
        {
            _store = store;
            _importId = importId;
            _table = table;
            _what = what;
            _next = next;
            _plan = new ColumnPlan(columns);
            _isContext = columns[0].Kind == StoredKind.ContextId;
            var count = _plan.Kinds.Length;
            _lastText = new string?[count];
            _lastInstant = new DateTime?[count];
            _lastList = new List<string?>?[count];
            for (var c = 0; c < count; c++)
            {
                if (_plan.Lists[c])
                {
                    _lastList[c] = [];
                }
            }
        }

        public long Added => _added?.Rows ?? 0;

        public static Distinct Start(DuckDbCostStore store, long importId, string table, IReadOnlyList<StoredColumn> columns, string what)
        {
            using var command = store.Command($"SELECT coalesce(max({columns[0].Name}), 0) FROM {table}");
            var max = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            return new Distinct(store, importId, table, columns, what, max + 1);
        }

        /// <summary>The id of <paramref name="row"/>'s combination of this level's columns (with its tag set and context, for a descriptor).</summary>
        public long IdOf(LineItemRow row, long tagSet, long context)
        {
            if (_lastId >= 0 && tagSet == _lastTagSet && context == _lastContext && SameAsLast(row))
            {
                return _lastId;
            }

            // While this level's recent rows are nearly all new ones (a resource id of its own on every row), finding
            // them costs a hash and a lookup each for almost no hits: the lookups pause and each row gets a new
            // description (CacheWorth), which costs space, never a wrong answer (issue 9: a fifth of the writer's time
            // on the wide bench file).
            long id;
            var found = false;
            if (_worth.InUse())
            {
                var content = ContentHash(row, tagSet, context);
                found = _byContent.TryGetValue(content, out id);
                if (_worth.Record(found))
                {
                    _byContent.Clear();
                    if (!_isContext)
                    {
                        _store.WriteWithoutDictionaries();
                    }
                }
                else if (!found)
                {
                    if (_byContent.Count >= RememberedLimit)
                    {
                        _byContent.Clear();
                    }

                    _byContent[content] = _next;
                }
            }
            else
            {
                id = 0;
            }

            if (!found)
            {
                id = _next++;
                var added = _added ??= new DataChunkAppender(_store.Connection, _table, _plan.Lists, _what);
                if (_isContext)
                {
                    _plan.Fill(added, row, _importId, descriptorId: 0, tagSetId: 0, contextId: id);
                }
                else
                {
                    _plan.Fill(added, row, _importId, descriptorId: id, tagSetId: tagSet, contextId: context);
                }

                added.EndRow();
            }

            Remember(row, tagSet, context, id);
            return id;
        }

        public void Close() => _added?.Close();

        public void Dispose()
        {
            _added?.Dispose();
            _added = null;
        }

        private bool SameAsLast(LineItemRow row)
        {
            var kinds = _plan.Kinds;
            var slots = _plan.Slots;
            for (var c = 0; c < kinds.Length; c++)
            {
                var slot = slots[c];
                var same = kinds[c] switch
                {
                    StoredKind.Text => string.Equals(row.Text[slot], _lastText[c], StringComparison.Ordinal),
                    StoredKind.Hierarchy => string.Equals(row.Hierarchy[slot], _lastText[c], StringComparison.Ordinal),
                    StoredKind.Timestamp => row.Timestamps[slot] == _lastInstant[c],
                    StoredKind.ListKeys => SameList(row.KeyValues[slot].Keys!, _lastList[c]!),
                    StoredKind.ListValues => SameList(row.KeyValues[slot].Values, _lastList[c]!),
                    StoredKind.CustomKeys => SameList(row.Custom.Keys!, _lastList[c]!),
                    StoredKind.CustomValues => SameList(row.Custom.Values, _lastList[c]!),
                    _ => true, // descriptor_id, context_id, import_id: the writer's; tag_set_id: compared by the caller
                };
                if (!same)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameList(List<string?> items, List<string?> last)
        {
            if (items.Count != last.Count)
            {
                return false;
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (!string.Equals(items[i], last[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private void Remember(LineItemRow row, long tagSet, long context, long id)
        {
            var kinds = _plan.Kinds;
            var slots = _plan.Slots;
            for (var c = 0; c < kinds.Length; c++)
            {
                var slot = slots[c];
                switch (kinds[c])
                {
                    case StoredKind.Text:
                        _lastText[c] = row.Text[slot];
                        break;
                    case StoredKind.Hierarchy:
                        _lastText[c] = row.Hierarchy[slot];
                        break;
                    case StoredKind.Timestamp:
                        _lastInstant[c] = row.Timestamps[slot];
                        break;
                    case StoredKind.ListKeys:
                        Copy(row.KeyValues[slot].Keys!, _lastList[c]!);
                        break;
                    case StoredKind.ListValues:
                        Copy(row.KeyValues[slot].Values, _lastList[c]!);
                        break;
                    case StoredKind.CustomKeys:
                        Copy(row.Custom.Keys!, _lastList[c]!);
                        break;
                    case StoredKind.CustomValues:
                        Copy(row.Custom.Values, _lastList[c]!);
                        break;
                }
            }

            _lastTagSet = tagSet;
            _lastContext = context;
            _lastId = id;
        }

        private static void Copy(List<string?> items, List<string?> into)
        {
            into.Clear();
            into.AddRange(items);
        }

        /// <summary>
        /// The hash of a row's description: each value in column order, preceded by its length (-1: null), gathered in one
        /// buffer and hashed at once (sixty small appends to the hash cost three times as much).
        /// </summary>
        private UInt128 ContentHash(LineItemRow row, long tagSet, long context)
        {
            _length = 0;
            var kinds = _plan.Kinds;
            var slots = _plan.Slots;
            for (var c = 0; c < kinds.Length; c++)
            {
                var slot = slots[c];
                switch (kinds[c])
                {
                    case StoredKind.Text:
                        AppendText(row.Text[slot]);
                        break;
                    case StoredKind.Hierarchy:
                        AppendText(row.Hierarchy[slot]);
                        break;
                    case StoredKind.Timestamp:
                        AppendLong(row.Timestamps[slot]?.Ticks ?? -1);
                        break;
                    case StoredKind.ListKeys:
                        AppendList(row.KeyValues[slot].Keys!);
                        break;
                    case StoredKind.ListValues:
                        AppendList(row.KeyValues[slot].Values);
                        break;
                    case StoredKind.CustomKeys:
                        AppendList(row.Custom.Keys!);
                        break;
                    case StoredKind.CustomValues:
                        AppendList(row.Custom.Values);
                        break;
                    case StoredKind.TagSetId:
                        AppendLong(tagSet);
                        break;
                    case StoredKind.ContextId:
                        AppendLong(_isContext ? 0 : context);
                        break;
                }
            }

            return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _length)));
        }

        private void AppendText(string? text)
        {
            AppendLong(text?.Length ?? -1);
            if (text is not null)
            {
                Reserve(text.Length);
                text.CopyTo(_buffer.AsSpan(_length));
                _length += text.Length;
            }
        }

        private void AppendList(List<string?> items)
        {
            AppendLong(items.Count);
            foreach (var item in items)
            {
                AppendText(item);
            }
        }

        private void AppendLong(long value)
        {
            Reserve(4);
            MemoryMarshal.Write(MemoryMarshal.AsBytes(_buffer.AsSpan(_length, 4)), value);
            _length += 4;
        }

        private void Reserve(int chars)
        {
            if (_length + chars > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + chars));
            }
        }
    }
}
