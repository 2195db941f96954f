namespace ModelMeter.Core.Forecasting;

/// <summary>Robust statistics on decimal amounts (money stays decimal): median, MAD, square root.</summary>
public static class Robust
{
    /// <summary>1 / Φ⁻¹(0.75): makes the median absolute deviation estimate a normal standard deviation.</summary>
    public const decimal MadToSigma = 1.4826m;

    /// <summary>The two-sided 90% quantile of the normal distribution (the prediction intervals are 90%).</summary>
    public const decimal Z90 = 1.6449m;

    public static decimal Median(IEnumerable<decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0m;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2m;
    }

    /// <summary>The median absolute deviation from the median.</summary>
    public static decimal Mad(IReadOnlyCollection<decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var median = Median(values);
        return Median(values.Select(v => Math.Abs(v - median)));
    }

    public static decimal StandardDeviation(IReadOnlyCollection<decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return 0m;
        }

        var mean = values.Average();
        return Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>Newton's square root in decimal, to 20 significant digits.</summary>
    public static decimal Sqrt(decimal value)
    {
        if (value < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "No square root of a negative number.");
        }

        if (value == 0m)
        {
            return 0m;
        }

        var x = (decimal)Math.Sqrt((double)value);
        for (var i = 0; i < 4 && x != 0m; i++)
        {
            x = (x + (value / x)) / 2m;
        }

        return x;
    }
}
