using ModelMeter.Core.Errors;
using ModelMeter.Core.Text;

namespace ModelMeter.Core.Attribution;

/// <summary>
/// Tags for resources that cannot carry their own (a managed endpoint, a shared volume), from a CSV text.
/// Two shapes are accepted, told apart by the header:
/// <list type="bullet">
/// <item><b>long</b>, header exactly <c>resource_id,key,value</c>: one tag per line;</item>
/// <item><b>wide</b>, header <c>resource_id,&lt;key&gt;,&lt;key&gt;...</c> (e.g. <c>resource_id,team,model</c>): one resource per line, an empty cell sets nothing.</item>
/// </list>
/// Keys and values are normalised by the tag policy when they are used, so <c>Team</c> and <c>team</c> both work.
/// A resource given two different values for one key is an error.
/// </summary>
public sealed class ResourceTagMap
{
    private readonly Dictionary<string, Dictionary<string, string>> _tags;

    private ResourceTagMap(Dictionary<string, Dictionary<string, string>> tags) => _tags = tags;

    public static ResourceTagMap Empty { get; } = new(new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal));

    public int Count => _tags.Count;

    public bool TryGet(string resourceId, out IReadOnlyDictionary<string, string> tags)
    {
        if (_tags.TryGetValue(resourceId, out var found))
        {
            tags = found;
            return true;
        }

        tags = new Dictionary<string, string>();
        return false;
    }

    public static ResourceTagMap FromDictionary(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return new ResourceTagMap(tags.ToDictionary(
            t => t.Key.Trim(),
            t => t.Value.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal),
            StringComparer.Ordinal));
    }

    /// <exception cref="UserInputException">The text is not one of the two shapes, or a line is wrong; the message names the line and column.</exception>
    public static ResourceTagMap Parse(string csvText, string sourceName)
    {
        var records = CsvText.Parse(csvText, sourceName);
        if (records.Count == 0)
        {
            return Empty;
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        CsvText.Header(records[0], sourceName);
        if (header.Count < 2 || !string.Equals(header[0], "resource_id", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException(
                $"{sourceName}: line {records[0].Line}: the header must start with resource_id and be either 'resource_id,key,value' or 'resource_id,<key>,<key>...' (e.g. resource_id,team,model).");
        }

        var isLong = header.Count == 3
            && string.Equals(header[1], "key", StringComparison.OrdinalIgnoreCase)
            && string.Equals(header[2], "value", StringComparison.OrdinalIgnoreCase);
        var tags = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}: {record.Fields.Count} fields, the header has {header.Count}.");
            }

            var resource = record.Fields[0].Trim();
            if (resource.Length == 0)
            {
                throw new UserInputException($"{sourceName}: line {record.Line}, column 1: resource_id is empty.");
            }

            if (isLong)
            {
                var key = record.Fields[1].Trim();
                if (key.Length == 0)
                {
                    throw new UserInputException($"{sourceName}: line {record.Line}, column 2: key is empty.");
                }

                Add(resource, key, record.Fields[2].Trim(), record.Line, 3);
            }
            else
            {
                for (var i = 1; i < header.Count; i++)
                {
                    Add(resource, header[i], record.Fields[i].Trim(), record.Line, i + 1);
                }
            }
        }

        return new ResourceTagMap(tags);

        void Add(string resource, string key, string value, int line, int column)
        {
            if (value.Length == 0)
            {
                return;
            }

            if (!tags.TryGetValue(resource, out var resourceTags))
            {
                resourceTags = new Dictionary<string, string>(StringComparer.Ordinal);
                tags[resource] = resourceTags;
            }

            if (resourceTags.TryGetValue(key, out var existing) && !string.Equals(existing, value, StringComparison.Ordinal))
            {
                throw new UserInputException($"{sourceName}: line {line}, column {column}: {resource} has {key}={existing} already; cannot also be {value}.");
            }

            resourceTags[key] = value;
        }
    }
}
