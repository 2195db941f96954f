using System.Numerics;

namespace ModelMeter.Core.Allocation;

/// <summary>One participant of a split: a target name and its weight (driver value, direct cost, percentage).</summary>
public readonly record struct SplitShare(string Key, decimal Weight);

/// <summary>What one participant received.</summary>
public readonly record struct SplitPart(string Key, decimal Weight, decimal Amount);

/// <summary>
/// Splits an amount among weighted participants so the parts add up exactly to the amount.
/// <para>
/// The amount is taken in whole minor units (cents for USD, yen for JPY), truncated toward zero; those units are
/// shared by the largest-remainder (Hamilton) method: each part gets the floor of its exact quota, and the units
/// left over go one each to the largest remainders, ties broken by key (ordinal). Quotas are computed exactly
/// with integers, so no decimal rounding can make the parts overshoot.
/// </para>
/// <para>
/// Billing rows often carry more decimals than the currency's minor unit. The fraction of a minor unit left after
/// truncation (always smaller than one cent, with the amount's sign) goes in full to the participant with the
/// largest weight (ties by key), so the parts still sum to the amount to the last digit. A negative amount (a
/// credit) is split the same way on its magnitude: every part is then zero or negative.
/// </para>
/// </summary>
internal static class LargestRemainder
{
    /// <summary>Splits <paramref name="amount"/> among <paramref name="shares"/>. Parts come back ordered by key.</summary>
    /// <exception cref="ArgumentException">No share, a duplicate or empty key, a negative weight, or weights summing to zero.</exception>
    public static IReadOnlyList<SplitPart> Split(decimal amount, int minorUnits, IReadOnlyList<SplitShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentOutOfRangeException.ThrowIfNegative(minorUnits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minorUnits, 8);
        if (shares.Count == 0)
        {
            throw new ArgumentException("A split needs at least one participant.", nameof(shares));
        }

        var ordered = shares.OrderBy(s => s.Key, StringComparer.Ordinal).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (string.IsNullOrEmpty(ordered[i].Key))
            {
                throw new ArgumentException("A split participant has an empty key.", nameof(shares));
            }

            if (ordered[i].Weight < 0m)
            {
                throw new ArgumentException($"Participant '{ordered[i].Key}' has a negative weight {ordered[i].Weight}.", nameof(shares));
            }

            if (i > 0 && string.Equals(ordered[i].Key, ordered[i - 1].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Participant '{ordered[i].Key}' appears twice.", nameof(shares));
            }
        }

        // Weights as integers over one common power of ten, so quotas are exact rationals.
        var scale = ordered.Max(s => Scale(s.Weight));
        var weights = ordered.Select(s => ToScaledInteger(s.Weight, scale)).ToArray();
        var total = weights.Aggregate(BigInteger.Zero, (a, b) => a + b);
        if (total.IsZero)
        {
            throw new ArgumentException("The weights of a split sum to zero; there is nothing to split by.", nameof(shares));
        }

        var unit = Pow10(minorUnits);
        var step = new decimal(1, 0, 0, false, (byte)minorUnits);
        var magnitude = Math.Abs(amount);
        var wholeUnits = decimal.Truncate(magnitude * unit);
        var residue = magnitude - (wholeUnits / unit);
        var units = new BigInteger(wholeUnits);

        var floors = new BigInteger[ordered.Length];
        var remainders = new BigInteger[ordered.Length];
        var assigned = BigInteger.Zero;
        for (var i = 0; i < ordered.Length; i++)
        {
            floors[i] = BigInteger.DivRem(units * weights[i], total, out remainders[i]);
            assigned += floors[i];
        }

        var leftover = (int)(units - assigned); // fewer than the number of participants
        var byRemainder = Enumerable.Range(0, ordered.Length)
            .OrderByDescending(i => remainders[i])
            .ThenBy(i => ordered[i].Key, StringComparer.Ordinal)
            .Take(leftover);
        foreach (var i in byRemainder)
        {
            floors[i] += 1;
        }

        var residueTaker = Enumerable.Range(0, ordered.Length)
            .OrderByDescending(i => weights[i])
            .ThenBy(i => ordered[i].Key, StringComparer.Ordinal)
            .First();

        var sign = amount < 0m ? -1m : 1m;
        var parts = new SplitPart[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            // Multiplying by the minor unit (0.01) rather than dividing by 100 keeps the scale: 37.50, not 37.5.
            var partMagnitude = ((decimal)floors[i] * step) + (i == residueTaker ? residue : 0m);
            parts[i] = new SplitPart(ordered[i].Key, ordered[i].Weight, partMagnitude == 0m ? 0m : sign * partMagnitude);
        }

        return parts;
    }

    internal static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static int Scale(decimal value) => decimal.GetBits(value)[3] >> 16 & 0xFF;

    private static BigInteger ToScaledInteger(decimal value, int scale)
    {
        var bits = decimal.GetBits(value);
        var mantissa = (new BigInteger((uint)bits[2]) << 64) | (new BigInteger((uint)bits[1]) << 32) | new BigInteger((uint)bits[0]);
        var ownScale = bits[3] >> 16 & 0xFF;
        return mantissa * BigInteger.Pow(10, scale - ownScale);
    }
}
