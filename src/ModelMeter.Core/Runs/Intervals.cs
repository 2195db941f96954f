namespace ModelMeter.Core.Runs;

/// <summary>A half-open UTC time interval [Start, End).</summary>
public readonly record struct Interval(DateTime Start, DateTime End)
{
    public TimeSpan Length => End > Start ? End - Start : TimeSpan.Zero;

    /// <summary>How long this interval and [start, end) share.</summary>
    public TimeSpan Overlap(DateTime start, DateTime end)
    {
        var from = Start > start ? Start : start;
        var to = End < end ? End : end;
        return to > from ? to - from : TimeSpan.Zero;
    }
}

/// <summary>
/// Unions of intervals: how nested and concurrent runs are counted once. A child run of a hyper-parameter search lies
/// inside its parent's window; its time is already the parent's, so a tree's time (and an experiment's) is the length
/// of the union of its runs' windows, never their sum.
/// </summary>
public static class Intervals
{
    /// <summary>The disjoint, ordered intervals covering exactly the given ones (empty intervals dropped).</summary>
    public static IReadOnlyList<Interval> Union(IEnumerable<Interval> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var merged = new List<Interval>();
        foreach (var next in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && next.Start <= merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = next.End > last.End ? next.End : last.End };
            }
            else
            {
                merged.Add(next);
            }
        }

        return merged;
    }

    /// <summary>The total length of the union.</summary>
    public static TimeSpan UnionLength(IEnumerable<Interval> intervals) =>
        Union(intervals).Aggregate(TimeSpan.Zero, (sum, i) => sum + i.Length);
}
