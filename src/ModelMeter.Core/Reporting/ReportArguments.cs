using System.Globalization;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Reporting;

/// <summary>Parses the cost explorer's textual options (<c>--by</c>, <c>--where</c>, periods) into a query. Pure and testable.</summary>
public static class ReportArguments
{
    /// <summary><c>tag:team,ServiceCategory</c> → a tag dimension and a column dimension.</summary>
    public static IReadOnlyList<Dimension> ParseBy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseDimension).ToList();
    }

    public static Dimension ParseDimension(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            var key = text[4..].Trim();
            if (key.Length == 0)
            {
                throw new UserInputException($"'{text}' names no tag key; write tag:KEY, e.g. tag:team.");
            }

            return new TagDimension(key);
        }

        if (text.Length == 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new UserInputException($"'{text}' is not a dimension; use a FOCUS column such as ServiceCategory or a tag as tag:KEY.");
        }

        if (!IsGroupable(text))
        {
            throw new UserInputException(
                $"'{text}' is not a FOCUS column to group or filter by. Use a text column such as ServiceCategory, ServiceName, " +
                "ResourceId, RegionId, SubAccountName, ChargeCategory, PricingCategory, a custom x_ column, or a tag as tag:KEY; use --grain for time.");
        }

        return new ColumnDimension(text);
    }

    /// <summary>
    /// Whether a column can be grouped or filtered by: a custom <c>x_</c> column, or a FOCUS column holding text
    /// (not an amount, an instant, a map or JSON). Every store answers the same set.
    /// </summary>
    public static bool IsGroupable(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.StartsWith(Billing.FocusSchema.CustomColumnPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return Billing.FocusSchema.ByName.TryGetValue(column, out var focus)
            && focus.Kind is not (Billing.FocusColumnKind.Number or Billing.FocusColumnKind.Timestamp or Billing.FocusColumnKind.KeyValue or Billing.FocusColumnKind.Json);
    }

    /// <summary>
    /// One <c>--where</c> condition: <c>tag:env=prod</c>, <c>ServiceCategory!=Compute</c>,
    /// <c>tag:team in (nlp, vision)</c>, <c>RegionId not in (us-east-1)</c>. Values may be quoted.
    /// </summary>
    public static Filter ParseFilter(string text) => ParseFilter(text, "--where");

    /// <summary>A condition in the syntax of <c>--where</c>, given through <paramref name="option"/> (named in errors).</summary>
    public static Filter ParseFilter(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var lower = trimmed.ToLowerInvariant();
        foreach (var (word, op) in new[] { (" not in ", FilterOperator.NotIn), (" in ", FilterOperator.In) })
        {
            var at = lower.IndexOf(word, StringComparison.Ordinal);
            // "ChargeDescription=Pay in advance" is an equality whose value holds the word: a list needs a bare dimension before it.
            if (at > 0 && trimmed.AsSpan(0, at).IndexOf('=') < 0)
            {
                var list = trimmed[(at + word.Length)..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw new UserInputException($"{option} '{text}': write the values in parentheses, e.g. tag:team in (nlp, vision).");
                }

                var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Unquote).ToList();
                if (values.Count == 0)
                {
                    throw new UserInputException($"{option} '{text}': the list of values is empty.");
                }

                return new Filter(ParseDimension(trimmed[..at]), op, values);
            }
        }

        var notEqual = trimmed.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0 && notEqual + 2 < trimmed.Length && trimmed[notEqual + 2] == '=')
        {
            throw new UserInputException($"{option} '{text}': '!==' is not an operator; write '!=' (ServiceCategory!=Storage).");
        }

        if (notEqual > 0)
        {
            return new Filter(ParseDimension(trimmed[..notEqual]), FilterOperator.NotEqual, [Unquote(trimmed[(notEqual + 2)..].Trim())]);
        }

        var equal = trimmed.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0 && equal + 1 < trimmed.Length && trimmed[equal + 1] == '=')
        {
            // tag:team==nlp would otherwise filter on the value "=nlp" and silently match nothing.
            throw new UserInputException($"{option} '{text}': '==' is not an operator; write one '=' (tag:team=nlp), or quote a value that starts with '=' (tag:team=\"=nlp\").");
        }

        if (equal > 0)
        {
            return new Filter(ParseDimension(trimmed[..equal]), FilterOperator.Equal, [Unquote(trimmed[(equal + 1)..].Trim())]);
        }

        throw new UserInputException($"{option} '{text}' is not a condition; write DIMENSION=VALUE, DIMENSION!=VALUE or DIMENSION in (A, B).");
    }

    public static TimeGrain? ParseGrain(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "hour" or "hourly" => TimeGrain.Hour,
        "day" or "daily" => TimeGrain.Day,
        "week" or "weekly" => TimeGrain.Week,
        "month" or "monthly" => TimeGrain.Month,
        _ => throw new UserInputException($"--grain '{text}' is not a grain; use hour, day, week or month."),
    };

    public static CostMetric ParseCost(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        // FinOps practitioners call EffectiveCost "amortized cost": commitments spread over the periods they cover.
        null or "" or "effective" or "amortized" or "amortised" => CostMetric.Effective,
        "billed" => CostMetric.Billed,
        "list" => CostMetric.List,
        "contracted" => CostMetric.Contracted,
        _ => throw new UserInputException($"--cost '{text}' is not a cost; use effective (or amortized), billed, list or contracted."),
    };

    /// <summary>
    /// The half-open period [from, to) from <c>--from/--to</c> (dates, to exclusive), <c>--last 30d</c> (up to now) or
    /// <c>--month 2026-10</c>. At most one style may be used.
    /// </summary>
    public static (DateTime? From, DateTime? To) ParsePeriod(string? from, string? to, string? last, string? month, DateTime nowUtc)
    {
        var styles = (from is not null || to is not null ? 1 : 0) + (last is not null ? 1 : 0) + (month is not null ? 1 : 0);
        if (styles > 1)
        {
            throw new UserInputException("Use one of --from/--to, --last or --month, not several.");
        }

        if (month is not null)
        {
            var start = ParseMonth(month, "--month");
            return (start, start.AddMonths(1));
        }

        if (last is not null)
        {
            var end = nowUtc.Date.AddDays(1);
            var days = ParseSpanDays(last);
            var longest = (long)(end - Time.SupportedRange.First).TotalDays;
            if (days > longest)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture,
                    $"--last '{last}' reaches back before {Time.SupportedRange.First:yyyy-MM-dd}, the first day ModelMeter stores; the longest is {longest}d."));
            }

            return (end.AddDays(-days), end);
        }

        return (from is null ? null : ParseDate(from, "--from"), to is null ? null : ParseDate(to, "--to"));
    }

    public static DateTime ParseMonth(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var month))
        {
            throw new UserInputException($"{option} '{text}' is not a month; write it as YYYY-MM, e.g. 2026-10.");
        }

        month = DateTime.SpecifyKind(month, DateTimeKind.Utc);
        // The month's end must exist too: 9999-12 ends in the year 10000.
        if (month < Time.SupportedRange.First || month >= Time.SupportedRange.Last)
        {
            throw new UserInputException($"{option} '{text}' is outside the months ModelMeter stores, 1900-01 to 9998-12.");
        }

        return month;
    }

    private static DateTime ParseDate(string text, string option)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss"];
        if (!DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            throw new UserInputException($"{option} '{text}' is not a date; write it as YYYY-MM-DD (UTC), e.g. 2026-10-01.");
        }

        date = DateTime.SpecifyKind(date, DateTimeKind.Utc);
        if (!Time.SupportedRange.Contains(date))
        {
            throw new UserInputException($"{option} '{text}' is outside the dates ModelMeter stores ({Time.SupportedRange.Text}).");
        }

        return date;
    }

    /// <summary>30d or 4w as a number of days; counted in long, so 2147483647w cannot wrap around.</summary>
    private static long ParseSpanDays(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length >= 2 && t.Length <= 12 && long.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (t[^1])
            {
                case 'd':
                    return n;
                case 'w':
                    return 7 * n;
            }
        }

        throw new UserInputException($"--last '{text}' is not a span; write a number of days or weeks, e.g. 30d or 4w.");
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')) ? value[1..^1] : value;
}
