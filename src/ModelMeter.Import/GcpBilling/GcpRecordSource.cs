using System.Text.Json;
using ModelMeter.Import.Focus;

namespace ModelMeter.Import.GcpBilling;

/// <summary>
/// The billing export's fields under one set of names (<c>service.description</c>, <c>invoice.month</c>), whatever the
/// file's shape: a CSV dump's flattened columns (<c>service.description</c> or <c>service_description</c>), or a nested
/// record (a JSON line's object, a Parquet STRUCT, both read as JSON text) whose members are read out. Repeated
/// nested values (the same service, SKU and project on thousands of rows) are parsed once.
/// </summary>
internal sealed class GcpRecordSource : IFocusRecordSource, IPositioned
{
    /// <summary>The export's fields the mapping reads.</summary>
    public static readonly IReadOnlyList<string> Paths =
    [
        "billing_account_id", "service.id", "service.description", "sku.id", "sku.description", "usage_start_time", "usage_end_time",
        "project.id", "project.name", "project.labels", "labels", "location.location", "location.region", "location.zone",
        "resource.name", "resource.global_name", "cost", "cost_at_list", "currency", "usage.amount", "usage.unit",
        "usage.amount_in_pricing_units", "usage.pricing_unit", "credits", "invoice.month", "cost_type", "price.effective_price",
        "price.tier_start_amount", "price.unit", "price.pricing_unit_quantity", "adjustment_info.id", "adjustment_info.type",
        "adjustment_info.description", "adjustment_info.mode", "seller_name", "transaction_type", "subscription.instance_id",
    ];

    /// <summary>Top-level fields of the export (a JSON line's keys): the ones above, and the ones read and not used.</summary>
    public static readonly IReadOnlyList<string> TopLevel =
    [
        .. Paths.Select(p => p.Split('.')[0]).Distinct(StringComparer.Ordinal),
        "system_labels", "tags", "export_time", "currency_conversion_rate", "cost_at_effective_price", "consumption_model",
    ];

    private readonly IFocusRecordSource _inner;
    private readonly Resolver[] _resolvers;
    private readonly BlobCache?[] _blobs;

    public GcpRecordSource(IFocusRecordSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < inner.Header.Count; i++)
        {
            byName.TryAdd(inner.Header[i].Trim(), i);
        }

        _blobs = new BlobCache?[inner.Header.Count];
        _resolvers = Paths.Select(path => Resolve(path, byName)).ToArray();
        Used = _resolvers.Where(r => r.Field >= 0).Select(r => r.Field).ToHashSet();
    }

    public IReadOnlyList<string> Header => Paths;

    /// <summary>The file as read: CSV, Parquet or JSON lines.</summary>
    public IFocusRecordSource Inner => _inner;

    /// <summary>The file's own column names, for messages.</summary>
    public IReadOnlyList<string> FileHeader => _inner.Header;

    /// <summary>The file's fields some path reads.</summary>
    public IReadOnlySet<int> Used { get; }

    public string LineWord => _inner.LineWord;

    public long Line => _inner.Line;

    public int FieldCount => Paths.Count;

    /// <summary>The file's own fields on the current record (a CSV line may have too few or too many).</summary>
    public int FileFieldCount => _inner.FieldCount;

    public string? RecordError => _inner.RecordError;

    public int RecordErrorField => _inner.RecordErrorField;

    public double Fraction => _inner is IPositioned positioned ? positioned.Fraction : 0.5;

    /// <summary>Where a path's value is in the file: its 1-based column and name (with the member read out of it), or 0.</summary>
    public (int Column, string? Name) Locate(int index)
    {
        var resolver = _resolvers[index];
        return resolver.Field < 0
            ? (0, Paths[index])
            : (resolver.Field + 1, resolver.Member is null ? _inner.Header[resolver.Field] : $"{_inner.Header[resolver.Field]}.{resolver.Member}");
    }

    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var resolver = _resolvers[index];
            if (resolver.Field < 0 || resolver.Field >= _inner.FieldCount)
            {
                return default;
            }

            var text = _inner[resolver.Field];
            return resolver.Member is null ? text : (_blobs[resolver.Field] ??= new BlobCache()).Member(text, resolver.Member);
        }
    }

    public bool Read() => _inner.Read();

    public void Dispose() => _inner.Dispose();

    /// <summary>A path as its own column (dotted or with underscores), or as a member of its record's column.</summary>
    private static Resolver Resolve(string path, Dictionary<string, int> byName)
    {
        if (byName.TryGetValue(path, out var field) || byName.TryGetValue(path.Replace('.', '_'), out field))
        {
            return new Resolver(field, null);
        }

        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && byName.TryGetValue(path[..dot], out field) ? new Resolver(field, path[(dot + 1)..]) : new Resolver(-1, null);
    }

    private readonly record struct Resolver(int Field, string? Member);

    /// <summary>The members of a record's JSON text, the last few hundred distinct texts remembered.</summary>
    private sealed class BlobCache
    {
        private readonly Dictionary<string, Dictionary<string, string?>> _parsed = new(StringComparer.Ordinal);

        public string? Member(ReadOnlySpan<char> text, string member)
        {
            var trimmed = text.Trim();
            if (trimmed.IsEmpty || trimmed[0] != '{')
            {
                return null;
            }

            var lookup = _parsed.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(trimmed, out var members))
            {
                if (_parsed.Count >= 4096)
                {
                    _parsed.Clear();
                }

                members = Parse(trimmed);
                _parsed[new string(trimmed)] = members;
            }

            return members.GetValueOrDefault(member);
        }

        private static Dictionary<string, string?> Parse(ReadOnlySpan<char> text)
        {
            var members = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            try
            {
                using var document = JsonDocument.Parse(new string(text));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return members;
                }

                foreach (var property in document.RootElement.EnumerateObject())
                {
                    members[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }
            }
            catch (JsonException)
            {
                // A record that is not JSON has no members: the paths read from it are empty, and the mapping says which are needed.
            }

            return members;
        }
    }
}
