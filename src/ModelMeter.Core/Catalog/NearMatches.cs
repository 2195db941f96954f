namespace ModelMeter.Core.Catalog;

/// <summary>Suggests the keys closest to a mistyped one, for "did you mean" in error messages.</summary>
internal static class NearMatches
{
    public static IReadOnlyList<string> For(string wanted, IEnumerable<string> candidates, int max = 3)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(candidates);
        var w = Normalise(wanted);
        return candidates
            .Select(c => (Key: c, Score: Score(w, Normalise(c))))
            .Where(x => x.Score <= Math.Max(2, w.Length / 2))
            .OrderBy(x => x.Score)
            .ThenBy(x => x.Key, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Key)
            .ToList();
    }

    /// <summary>The text for an unknown key: what was asked, where, and the nearest valid keys.</summary>
    public static string UnknownKeyMessage(string kind, string wanted, IEnumerable<string> candidates)
    {
        var near = For(wanted, candidates);
        var hint = near.Count > 0
            ? $" Did you mean {string.Join(", ", near.Select(n => $"'{n}'"))}?"
            : " Run 'modelmeter catalog' to list the known keys.";
        return $"Unknown {kind} '{wanted}' in the price catalogue.{hint}";
    }

    private static string Normalise(string s) =>
        new(s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    // A key that contains the wanted text (or the reverse) is a strong match; otherwise edit distance.
    private static int Score(string wanted, string candidate)
    {
        if (wanted.Length > 0 && (candidate.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(candidate, StringComparison.Ordinal)))
        {
            return 1;
        }

        return Levenshtein(wanted, candidate);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
