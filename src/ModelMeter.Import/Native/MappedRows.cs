using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.Native;

/// <summary>
/// Mapped rows as the FOCUS conformance checker reads files: a header of the FOCUS 1.0 columns (every column of
/// <see cref="FocusSchema"/> except those whose presence marks a later version), and a record view of one mapped row.
/// So the rows a provider's export becomes are checked by the same 1.0 rules, with the same ids, as a FOCUS 1.0 file.
/// </summary>
internal static class MappedRows
{
    /// <summary>The FOCUS version mapped rows follow: the columns the mappers fill are FOCUS 1.0's.</summary>
    public const string FocusVersion = "1.0";

    // Columns that tell a later version (FocusSchema.DescribeVersion): left out, so the 1.0 rules apply.
    private static readonly HashSet<string> LaterVersionMarkers = new(StringComparer.Ordinal)
    {
        "ServiceProviderName", "HostProviderName", "PricingCurrency", "BillingAccountType", "ServiceSubcategory", "SkuPriceDetails", "CapacityReservationId",
    };

    /// <summary>The columns of the view, in <see cref="FocusSchema.Columns"/> order.</summary>
    public static readonly IReadOnlyList<FocusColumn> Columns = FocusSchema.Columns.Where(c => !LaterVersionMarkers.Contains(c.Name)).ToList();

    public static readonly IReadOnlyList<string> Names = Columns.Select(c => c.Name).ToList();

    /// <summary>The header the conformance checker binds its rules to, for one file's mapped rows.</summary>
    public static FocusHeader Header(string file) => FocusHeader.Parse(file, Names);
}

/// <summary>One mapped row seen as a FOCUS record: the text of each column (as stored), and which columns are null.</summary>
internal sealed class MappedRowView : IFocusRecordSource
{
    private readonly bool[] _nulls = new bool[MappedRows.Columns.Count];
    private LineItemRow? _row;

    public IReadOnlyList<string> Header => MappedRows.Names;

    public string LineWord { get; init; } = "line";

    public long Line { get; private set; }

    public int FieldCount => _nulls.Length;

    public string? RecordError => null;

    public int RecordErrorField => 0;

    /// <summary>Which fields of the row last bound are null.</summary>
    public ReadOnlySpan<bool> Nulls => _nulls;

    /// <summary>The text of a text-like column; the rules read no other kind as text.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var column = MappedRows.Columns[index];
            return column.Kind is FocusColumnKind.Text or FocusColumnKind.Enumeration or FocusColumnKind.Currency or FocusColumnKind.Json
                ? _row!.Text[column.Slot]
                : default;
        }
    }

    public void Bind(LineItemRow row, long line)
    {
        _row = row;
        Line = line;
        var columns = MappedRows.Columns;
        for (var i = 0; i < _nulls.Length; i++)
        {
            var column = columns[i];
            _nulls[i] = column.Kind switch
            {
                FocusColumnKind.Number => row.Decimals[column.Slot] is null,
                FocusColumnKind.Timestamp => row.Timestamps[column.Slot] is null,
                FocusColumnKind.KeyValue => row.KeyValues[column.Slot].Count == 0,
                _ => row.Text[column.Slot] is null,
            };
        }
    }

    public bool Read() => throw new NotSupportedException("A view of one mapped row is not read.");

    public void Dispose()
    {
    }
}
