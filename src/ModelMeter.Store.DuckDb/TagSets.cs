using System.IO.Hashing;
using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using ModelMeter.Core.Billing;

namespace ModelMeter.Store.DuckDb;

/// <summary>
/// Distinct tag sets, stored once in <c>tag_sets</c> and referred to from each line item by <c>tag_set_id</c>. A set's
/// values are a row of <c>tag_set_values</c>, which names its list of keys, stored once per distinct list in
/// <c>tag_key_lists</c> (a bill's sets share a few lists of keys); <c>tag_sets</c> is the view that joins them.
/// A month of hourly billing repeats each resource's tags hundreds of times, so a report by any tag key aggregates
/// the line items by id first (an integer group-by over millions of rows) and reads the few thousand tag sets after.
/// The empty tag set has id 0.
/// <para>
/// A set seen for the first time is written at once (through a chunk appender in the import's transaction, so a
/// rollback discards it), and remembered only by the 128-bit XxHash of its keys and values: a file with a tag set of
/// its own on every row costs 32 bytes a set here, not the set's text and lists (about 1.5 KB a set, which took a
/// million-row import of such a file past 2.5 GB). Two different sets share a hash with a probability of about
/// n²/2^129: 10^-20 for a billion sets.
/// </para>
/// </summary>
internal sealed class TagSets : IDisposable
{
    public const string Table = "tag_sets";

    public const string ValuesTable = "tag_set_values";

    public const string KeyListsTable = "tag_key_lists";

    // The parser's tag documents this cache holds stay alive while it does: a few thousand distinct documents are the
    // ordinary bill; past this many, the content hash finds them.
    private const int IdentityCacheLimit = 20_000;

    /// <summary>
    /// How many content hashes are kept (about 10 MB): the most recent sets of the store, then those of the import. A
    /// file with a tag set of its own on every row would otherwise hold one per row (and the store's every earlier one);
    /// past the bound a set seen again is stored again under a new id, which costs a row of tag_sets, never a wrong
    /// report (a line item's id names its own set).
    /// </summary>
    internal const int RememberedLimit = 1 << 18;

    // tag_set_values: tag_set_id, keys_id, tag_values; tag_key_lists: keys_id, tag_keys.
    private static readonly bool[] ValuesListColumns = [false, false, true];
    private static readonly bool[] KeysListColumns = [false, true];

    private readonly Dictionary<UInt128, long> _byContent = [];
    private readonly Dictionary<UInt128, long> _keyLists = [];
    private readonly List<string> _lastKeys = [];
    private readonly Dictionary<object, long> _bySource = new(ReferenceEqualityComparer.Instance);
    private readonly DuckDBConnection _connection;
    private readonly DuckDbCostStore _store;
    private char[] _buffer = new char[1024];
    private Core.Text.CacheWorth _sourceWorth;
    private Core.Text.CacheWorth _contentWorth;
    private DataChunkAppender? _added;
    private DataChunkAppender? _addedKeys;
    private long _next;
    private long _nextKeys;
    private long _lastKeysId = -1;

    private TagSets(DuckDbCostStore store) => (_store, _connection) = (store, store.Connection);

    /// <summary>The tag sets first seen in this import so far.</summary>
    public long Added => _added?.Rows ?? 0;

    /// <summary>Loads the known tag sets (within the import's transaction).</summary>
    public static TagSets Load(DuckDbCostStore store)
    {
        var sets = new TagSets(store);
        using var command = store.Command($"SELECT tag_set_id, tag_keys, tag_values FROM {Table} ORDER BY tag_set_id DESC LIMIT {RememberedLimit}");
        using var reader = command.ExecuteReader();
        long max = 0;
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            var keys = reader.GetFieldValue<List<string>>(1);
            var values = reader.GetFieldValue<List<string?>>(2);
            sets._byContent.TryAdd(sets.ContentHash(keys, values), id);
            max = Math.Max(max, id);
        }

        sets._next = max + 1;
        reader.Close();

        using var keyLists = store.Command($"SELECT keys_id, tag_keys FROM {KeyListsTable} ORDER BY keys_id DESC LIMIT {RememberedLimit}");
        using var lists = keyLists.ExecuteReader();
        long maxKeys = -1;
        while (lists.Read())
        {
            var id = lists.GetInt64(0);
            sets._keyLists.TryAdd(sets.ContentHash(lists.GetFieldValue<List<string>>(1), null), id);
            maxKeys = Math.Max(maxKeys, id);
        }

        sets._nextKeys = maxKeys + 1;
        return sets;
    }

    public long IdOf(KeyValueList tags)
    {
        if (tags.Count == 0)
        {
            return 0;
        }

        var bySource = tags.Source is not null && _sourceWorth.InUse();
        if (bySource)
        {
            var found = _bySource.TryGetValue(tags.Source!, out var known);
            if (_sourceWorth.Record(found))
            {
                _bySource.Clear();
            }

            if (found)
            {
                return known;
            }
        }

        // While nearly every set is new (a job or ticket id of its own on every row), hashing each to look it up finds
        // almost nothing: the lookups pause (CacheWorth) and each set is written afresh, which costs a row of tag_sets,
        // never a wrong report (issue 9: a twelfth of the writer thread's time on the wide bench file).
        long id = 0;
        var seen = false;
        if (_contentWorth.InUse())
        {
            var content = ContentHash(tags.Keys, tags.Values);
            seen = _byContent.TryGetValue(content, out id);
            if (_contentWorth.Record(seen))
            {
                _byContent.Clear();
                _store.WriteWithoutDictionaries();
            }
            else if (!seen)
            {
                if (_byContent.Count >= RememberedLimit)
                {
                    _byContent.Clear();
                }

                _byContent[content] = _next;
            }
        }

        if (!seen)
        {
            id = _next++;
            var keysId = KeysIdOf(tags.Keys!);
            var added = _added ??= new DataChunkAppender(_connection, ValuesTable, ValuesListColumns, "tag sets");
            added.SetLong(0, id);
            added.SetLong(1, keysId);
            added.SetList(2, tags.Values);
            added.EndRow();
        }

        if (bySource && _sourceWorth.InUseNow)
        {
            if (_bySource.Count >= IdentityCacheLimit)
            {
                _bySource.Clear();
            }

            _bySource[tags.Source!] = id;
        }

        return id;
    }

    /// <summary>Writes the last of the tag sets first seen in this import (before the import's totals are checked).</summary>
    public void SaveNew()
    {
        _addedKeys?.Close();
        _added?.Close();
    }

    public void Dispose()
    {
        try
        {
            _addedKeys?.Dispose();
            _addedKeys = null;
        }
        finally
        {
            _added?.Dispose();
            _added = null;
        }
    }

    /// <summary>
    /// The id of a list of keys in <see cref="KeyListsTable"/>, written when it is new: the last list's again without a
    /// lookup (consecutive sets of a bill have the same keys), else found by hash. Past <see cref="RememberedLimit"/>
    /// lists (a key of its own per row), a list seen again is stored again, which costs a row, never a wrong set.
    /// </summary>
    private long KeysIdOf(List<string> keys)
    {
        if (_lastKeysId >= 0 && CollectionsMarshal.AsSpan(keys).SequenceEqual(CollectionsMarshal.AsSpan(_lastKeys)))
        {
            return _lastKeysId;
        }

        var content = ContentHash(keys, null);
        if (!_keyLists.TryGetValue(content, out var id))
        {
            id = _nextKeys++;
            if (_keyLists.Count >= RememberedLimit)
            {
                _keyLists.Clear();
            }

            _keyLists[content] = id;
            var added = _addedKeys ??= new DataChunkAppender(_connection, KeyListsTable, KeysListColumns, "tag keys");
            added.SetLong(0, id);
            added.SetList(1, keys!);
            added.EndRow();
        }

        _lastKeys.Clear();
        _lastKeys.AddRange(keys);
        _lastKeysId = id;
        return id;
    }

    /// <summary>
    /// The hash of a set's keys and values in order (of its keys alone when <paramref name="values"/> is null), each
    /// followed by a separator no tag contains (U+001F; a null value is U+0000), so ["a", "bc"] and ["ab", "c"] differ;
    /// gathered in one buffer and hashed at once.
    /// </summary>
    private UInt128 ContentHash(List<string> keys, List<string?>? values)
    {
        var length = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            Append(keys[i], ref length);
            Append('\u001f', ref length);
            if (values is null)
            {
                continue;
            }

            if (values[i] is { } value)
            {
                Append(value, ref length);
                Append('\u001f', ref length);
            }
            else
            {
                Append('\u0000', ref length);
                Append('\u001f', ref length);
            }
        }

        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(_buffer.AsSpan(0, length)));
    }

    private void Append(string text, ref int length)
    {
        if (length + text.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length + text.Length));
        }

        text.CopyTo(_buffer.AsSpan(length));
        length += text.Length;
    }

    private void Append(char c, ref int length)
    {
        if (length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[length++] = c;
    }
}
