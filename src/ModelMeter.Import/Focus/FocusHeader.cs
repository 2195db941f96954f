using ModelMeter.Core.Billing;
using ModelMeter.Core.Errors;

namespace ModelMeter.Import.Focus;

/// <summary>How a file's columns map onto the FOCUS schema: known, custom (<c>x_</c>) and ignored columns.</summary>
internal sealed class FocusHeader
{
    private readonly Dictionary<string, int> _fields = new(StringComparer.Ordinal);

    private FocusHeader(IReadOnlyList<string> names, FocusColumn?[] columns, bool[] custom, IReadOnlyList<string> ignored)
    {
        Names = names;
        Columns = columns;
        IsCustom = custom;
        Ignored = ignored;
        Version = FocusSchema.DescribeVersion(names.ToArray());
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i] is { } column)
            {
                _fields[column.Name] = i;
            }
        }
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The FOCUS column each field maps to, or null for custom and ignored fields.</summary>
    public FocusColumn?[] Columns { get; }

    public bool[] IsCustom { get; }

    public IReadOnlyList<string> Ignored { get; }

    /// <summary>The FOCUS version the columns match (<see cref="FocusSchema.DescribeVersion"/>).</summary>
    public string Version { get; }

    public bool Has(string column) => _fields.ContainsKey(column);

    /// <summary>
    /// Whether a field is part of each row's description: a FOCUS column that does not vary per row
    /// (<see cref="FocusColumn.VariesPerRow"/>) or a custom column. The amounts, the charge period and the ignored columns
    /// are read row by row.
    /// </summary>
    public bool Describes(int field) => IsCustom[field] || Columns[field] is { VariesPerRow: false };

    /// <summary>The field holding a FOCUS column (by its FOCUS name), or -1 when the file does not have it.</summary>
    public int FieldOf(string column) => _fields.GetValueOrDefault(column, -1);

    /// <summary>Maps the header, refusing a file that lacks mandatory columns or repeats one.</summary>
    public static FocusHeader Parse(string file, IReadOnlyList<string> names)
    {
        var columns = new FocusColumn?[names.Count];
        var custom = new bool[names.Count];
        var ignored = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (seen.TryGetValue(name, out var first))
            {
                throw new UserInputException(
                    $"{Path.GetFileName(file)}: line 1, column {i + 1}: column '{name}' appears twice (first at column {first + 1}).");
            }

            seen[name] = i;
            if (FocusSchema.ByName.TryGetValue(name, out var column))
            {
                columns[i] = column;
            }
            else if (name.StartsWith(FocusSchema.CustomColumnPrefix, StringComparison.OrdinalIgnoreCase))
            {
                custom[i] = true;
            }
            else
            {
                ignored.Add(name);
            }
        }

        var present = new HashSet<string>(columns.Where(c => c is not null).Select(c => c!.Name), StringComparer.Ordinal);
        var missing = FocusSchema.Columns.Where(c => c.Mandatory && !present.Contains(c.Name)).Select(c => c.Name).ToList();
        foreach (var (old, renamed) in FocusSchema.RenamedMandatory)
        {
            if (!present.Contains(old) && !present.Contains(renamed))
            {
                missing.Add($"{old} (or {renamed} from FOCUS 1.3)");
            }
        }

        if (missing.Count > 0)
        {
            throw new UserInputException(
                $"{Path.GetFileName(file)}: line 1: this is not a complete FOCUS cost-and-usage export: " +
                $"{(missing.Count == 1 ? "the mandatory column" : $"{missing.Count} mandatory columns")} " +
                $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. Columns are matched by their FOCUS names, in any case.");
        }

        return new FocusHeader(names, columns, custom, ignored);
    }
}
