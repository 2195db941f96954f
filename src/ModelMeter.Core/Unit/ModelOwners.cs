namespace ModelMeter.Core.Unit;

/// <summary>
/// Whose units a model's traffic is when the units name the model but not the scope asked about (serving metrics carry
/// <c>model</c>, not <c>team</c>): the one value of that scope the model's billed cost carries. A model billed under
/// several values is left unattributed rather than guessed, and named, so the reader knows why its traffic is missing.
/// </summary>
public static class ModelOwners
{
    /// <param name="billed">Each cost line's model and scope value (null where the line is untagged).</param>
    public static ModelOwnership Of(IEnumerable<(string? Model, string? Scope)> billed)
    {
        ArgumentNullException.ThrowIfNull(billed);
        var scopes = billed.Where(b => !string.IsNullOrWhiteSpace(b.Model) && !string.IsNullOrWhiteSpace(b.Scope))
            .GroupBy(b => b.Model!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(b => b.Scope!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return new ModelOwnership(
            scopes.Where(s => s.Value.Count == 1).ToDictionary(s => s.Key, s => s.Value[0], StringComparer.Ordinal),
            scopes.Where(s => s.Value.Count > 1).Select(s => s.Key).Order(StringComparer.Ordinal).ToList());
    }
}

/// <param name="Owners">Model → the one scope value its cost carries.</param>
/// <param name="Ambiguous">Models whose cost carries several values: their units stay unattributed.</param>
public sealed record ModelOwnership(IReadOnlyDictionary<string, string> Owners, IReadOnlyList<string> Ambiguous);
