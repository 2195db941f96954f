using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMeter.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ModelMeter.Core.Configuration;

/// <summary>A budget as <c>budget add</c> writes it into <c>budgets:</c>.</summary>
public sealed record BudgetEntry(
    string Name,
    IReadOnlyList<string> Scope,
    decimal Amount,
    string? Currency = null,
    string? Parent = null,
    string? Basis = null,
    string? Period = null,
    string? TimeZone = null,
    IReadOnlyList<decimal>? ActualThresholds = null,
    IReadOnlyList<decimal>? ForecastThresholds = null,
    string? Owner = null,
    string? Team = null,
    IReadOnlyList<string>? Sinks = null);

/// <summary>
/// Edits the <c>budgets:</c> list of a modelmeter.yaml as text, so the user's comments, order and layout survive
/// <c>budget add</c> and <c>budget remove</c>: the YAML parser finds where the list and its items are, and only those
/// lines change.
/// </summary>
public static class BudgetConfigEditor
{
    public static string Add(string yaml, BudgetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(entry);
        var text = yaml.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (root, budgets, key) = Find(text);
        if (root is null || key is null)
        {
            var prefix = text.Length == 0 || text.EndsWith('\n') ? text : text + "\n";
            return prefix + (prefix.Length == 0 ? "" : "\n") + "budgets:\n" + Item(entry, 2);
        }

        if (budgets is YamlSequenceNode { Style: SequenceStyle.Block } sequence && sequence.Children.Count > 0)
        {
            var indent = (int)sequence.Start.Column - 1;
            var at = ItemEnd(text, (int)sequence.Children[^1].Start.Index, indent);
            return text[..at] + Item(entry, indent) + text[at..];
        }

        // `budgets:` with nothing, `budgets: []` or an empty flow list: the value becomes the block list.
        var valueStart = budgets is null ? (int)key.End.Index : (int)budgets.Start.Index;
        var valueEnd = budgets is null ? (int)key.End.Index : (int)budgets.End.Index;
        var colon = text.IndexOf(':', (int)key.End.Index);
        var head = text[..(budgets is null ? colon + 1 : valueStart)].TrimEnd(' ');
        var tail = text[valueEnd..];
        var lineEnd = tail.IndexOf('\n', StringComparison.Ordinal);
        tail = lineEnd < 0 ? "" : tail[(lineEnd + 1)..];
        return head + "\n" + Item(entry, (int)key.Start.Column + 1) + tail;
    }

    public static string Remove(string yaml, string name)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(name);
        var text = yaml.Replace("\r\n", "\n", StringComparison.Ordinal);
        var (_, budgets, _) = Find(text);
        if (budgets is not YamlSequenceNode sequence)
        {
            throw new UserInputException($"There is no budget named '{name}': the config has no budgets.");
        }

        var index = sequence.Children.ToList().FindIndex(c => c is YamlMappingNode m && m.Children.Any(p => p.Key.ToString() == "name" && p.Value.ToString().Trim() == name));
        if (index < 0)
        {
            throw new UserInputException($"There is no budget named '{name}'; the budgets are {string.Join(", ", sequence.Children.OfType<YamlMappingNode>().Select(NameOf))}.");
        }

        if (sequence.Style != SequenceStyle.Block)
        {
            throw new UserInputException("budgets: is written as a flow list ([...]); remove the budget by editing the file, or write the list one '- name:' per item.");
        }

        var item = sequence.Children[index];
        var start = LineStart(text, (int)item.Start.Index);
        var end = index + 1 < sequence.Children.Count
            ? LineStart(text, (int)sequence.Children[index + 1].Start.Index)
            : ItemEnd(text, (int)item.Start.Index, (int)sequence.Start.Column - 1);
        var result = text[..start] + text[end..];
        return sequence.Children.Count == 1 ? result.Replace("budgets:\n", "budgets: []\n", StringComparison.Ordinal) : result;
    }

    /// <summary>The item's YAML, with its dash at <paramref name="indent"/> spaces.</summary>
    public static string Item(BudgetEntry entry, int indent)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var pad = new string(' ', indent);
        var inner = pad + "  ";
        var text = new StringBuilder();
        text.Append(pad).Append("- name: ").Append(Quote(entry.Name)).Append('\n');
        text.Append(inner).Append("scope: [").AppendJoin(", ", entry.Scope.Select(Quote)).Append("]\n");
        void Line(string key, string? value)
        {
            if (value is not null)
            {
                text.Append(inner).Append(key).Append(": ").Append(value).Append('\n');
            }
        }

        Line("parent", entry.Parent is null ? null : Quote(entry.Parent));
        Line("basis", entry.Basis);
        Line("period", entry.Period);
        Line("time_zone", entry.TimeZone is null ? null : Quote(entry.TimeZone));
        Line("amount", entry.Amount.ToString(CultureInfo.InvariantCulture));
        Line("currency", entry.Currency);
        if (entry.ActualThresholds is not null || entry.ForecastThresholds is not null)
        {
            text.Append(inner).Append("thresholds:\n");
            if (entry.ActualThresholds is { } actual)
            {
                text.Append(inner).Append("  actual: [").AppendJoin(", ", actual.Select(a => a.ToString(CultureInfo.InvariantCulture))).Append("]\n");
            }

            if (entry.ForecastThresholds is { } forecast)
            {
                text.Append(inner).Append("  forecast: [").AppendJoin(", ", forecast.Select(a => a.ToString(CultureInfo.InvariantCulture))).Append("]\n");
            }
        }

        Line("owner", entry.Owner is null ? null : Quote(entry.Owner));
        Line("team", entry.Team is null ? null : Quote(entry.Team));
        if (entry.Sinks is { Count: > 0 } sinks)
        {
            text.Append(inner).Append("sinks: [").AppendJoin(", ", sinks.Select(Quote)).Append("]\n");
        }

        return text.ToString();
    }

    private static string NameOf(YamlMappingNode item) =>
        item.Children.FirstOrDefault(p => p.Key.ToString() == "name").Value?.ToString() ?? "(no name)";

    /// <summary>A double-quoted YAML scalar (JSON string syntax is valid YAML).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static (YamlMappingNode? Root, YamlNode? Budgets, YamlNode? Key) Find(string text)
    {
        var stream = new YamlStream();
        YamlInput.Parse("The config", () =>
        {
            stream.Load(new StringReader(text));
            return stream;
        });

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return (null, null, null);
        }

        foreach (var (key, value) in root.Children)
        {
            if (key.ToString() == "budgets")
            {
                return (root, value is YamlScalarNode { Value: null or "" } ? null : value, key);
            }
        }

        return (root, null, null);
    }

    private static int LineStart(string text, int index)
    {
        var at = text.LastIndexOf('\n', Math.Max(0, Math.Min(index, text.Length) - 1));
        return at < 0 ? 0 : at + 1;
    }

    /// <summary>
    /// Just after the last content line of the list item starting at <paramref name="start"/>: the item's lines are
    /// those indented deeper than its dash (at <paramref name="dashIndent"/>). Found from the text, not the parser's end
    /// mark, which for a block mapping points at where its last key starts rather than where its value ends.
    /// </summary>
    private static int ItemEnd(string text, int start, int dashIndent)
    {
        var line = text.IndexOf('\n', start);
        var end = line < 0 ? text.Length : line + 1;
        var at = end;
        while (at < text.Length)
        {
            var next = text.IndexOf('\n', at);
            var lineEnd = next < 0 ? text.Length : next + 1;
            var content = text[at..lineEnd].TrimEnd('\n', '\r');
            var indent = content.Length - content.TrimStart(' ').Length;
            if (content.Trim().Length > 0)
            {
                if (indent <= dashIndent && !content.TrimStart(' ').StartsWith('#'))
                {
                    break;
                }

                if (indent > dashIndent)
                {
                    end = lineEnd;
                }
            }

            at = lineEnd;
        }

        return end;
    }
}
