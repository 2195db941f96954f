namespace ModelMeter.Import.Focus;

/// <summary>Records of one input file as text fields, whatever its format (CSV, gzip CSV, Parquet).</summary>
internal interface IFocusRecordSource : IDisposable
{
    IReadOnlyList<string> Header { get; }

    /// <summary>"line" for text files, "row" for Parquet, used in error messages.</summary>
    string LineWord { get; }

    /// <summary>Line (or row) number of the current record.</summary>
    long Line { get; }

    int FieldCount { get; }

    /// <summary>A structural problem with the current record (bad quoting), or null.</summary>
    string? RecordError { get; }

    int RecordErrorField { get; }

    bool Read();

    /// <summary>
    /// A number the current record shares with every record of this source whose descriptive fields
    /// (<see cref="FocusHeader.Describes"/>) hold the same values, or 0 when the source does not know.
    /// </summary>
    long DescriptionKey => 0;

    ReadOnlySpan<char> this[int index] { get; }
}
