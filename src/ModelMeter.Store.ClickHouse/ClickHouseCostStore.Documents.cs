namespace ModelMeter.Store.ClickHouse;

/// <summary>
/// Named documents (<see cref="IStoreDocuments"/>): versioned records (<see cref="RecordTable"/>) in their own
/// collection, each change made under the cluster lock, so two processes creating keys at once both keep theirs.
/// </summary>
public sealed partial class ClickHouseCostStore : IStoreDocuments
{
    private const string DocumentCollection = "documents";

    public (string? Text, ulong Version) ReadDocument(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var record = Records.Current(DocumentCollection, name).SingleOrDefault();
        return record is null ? (null, 0) : (System.Text.Json.JsonSerializer.Deserialize<string>(record.Body, RecordTable.Json), record.Version);
    }

    public string UpdateDocument(string name, Func<string?, string> change)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(change);
        return Locks.Run(DocumentCollection, () =>
        {
            var current = ReadDocument(name).Text;
            var next = change(current);
            if (!string.Equals(next, current, StringComparison.Ordinal))
            {
                Records.Write(DocumentCollection, [(name, next)]);
            }

            return next;
        });
    }
}
