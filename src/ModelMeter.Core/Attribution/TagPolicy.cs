using System.Globalization;
using System.Text;

namespace ModelMeter.Core.Attribution;

/// <summary>How tag values are cased after trimming.</summary>
public enum ValueCase
{
    Lower,
    Upper,
    Preserve,
}

/// <summary>Where a resolved tag came from.</summary>
public enum TagSource
{
    /// <summary>The resource's own tag (after alias and value normalisation).</summary>
    Resource,

    /// <summary>The resource-to-tags mapping (for resources that cannot be tagged).</summary>
    ResourceMapping,

    /// <summary>The account's tags (<c>SubAccountId</c> → tags).</summary>
    Account,
}

/// <summary>What a resolution found wrong.</summary>
public enum TagViolationKind
{
    /// <summary>A key required in the row's scope is missing.</summary>
    Missing,

    /// <summary>A value is not in the key's allowed list.</summary>
    NotAllowed,

    /// <summary>Two raw keys map to one canonical key with different values (say <c>Team=nlp</c> and <c>user:team=vision</c>).</summary>
    Conflict,
}

/// <summary>One problem with a resource's tags, with a message a person can act on.</summary>
public sealed record TagViolation(TagViolationKind Kind, string Key, string? Value, string Message);

/// <summary>The policy for one canonical key.</summary>
/// <param name="Key">The canonical key, e.g. <c>team</c>.</param>
public sealed record TagKeyPolicy(string Key)
{
    /// <summary>Other spellings (<c>Team</c>, <c>user:team</c>, <c>owner_team</c>); matched after key normalisation.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The values allowed after value normalisation; null allows any.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>Overrides the policy's value case for this key.</summary>
    public ValueCase? Case { get; init; }

    /// <summary>Spellings of a value → the canonical value (<c>production</c> → <c>prod</c>); matched after casing.</summary>
    public IReadOnlyDictionary<string, string> ValueAliases { get; init; } = new Dictionary<string, string>();
}

/// <summary>Required keys for the rows a scope selects, as written: the scope is text such as <c>environment=prod</c> or <c>all</c>.</summary>
public sealed record RequiredTags(string Scope, IReadOnlyList<string> Keys);

/// <summary>A parsed <see cref="RequiredTags"/>: canonical keys under a scope.</summary>
public sealed record RequiredTagRule(TagScope Scope, IReadOnlyList<string> Keys);

/// <summary>A resource's resolved tags: normalised, gaps filled by inheritance, with what is wrong.</summary>
public sealed record TagResolution(
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, TagSource> Sources,
    IReadOnlyList<string> RequiredKeys,
    IReadOnlyList<TagViolation> Violations)
{
    /// <summary>Every key required in the resource's scope is present with an allowed value.</summary>
    public bool IsFullyTagged => RequiredKeys.All(IsSatisfied);

    /// <summary>The key is present and its value is not refused by an allowed list.</summary>
    public bool IsSatisfied(string key) =>
        Tags.ContainsKey(key) && !Violations.Any(v => v.Kind == TagViolationKind.NotAllowed && string.Equals(v.Key, key, StringComparison.Ordinal));

    /// <summary>Tags as the store's dimension map (values nullable).</summary>
    public IReadOnlyDictionary<string, string?> AsDimensions() => Tags.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal);
}

/// <summary>
/// The tag policy: canonical keys and aliases, value normalisation and allowed values, required keys per scope,
/// inheritance from accounts and a resource mapping, and the label of untagged cost. It is the one place a raw tag key
/// or value is read: at import (the store's hierarchy columns, through <see cref="Default"/>), in reports, budget
/// checks, compliance and allocation.
/// <para>
/// <see cref="Default"/> is the policy with no configuration: the hierarchy's keys with the built-in aliases
/// (<see cref="BuiltInKeys"/>). A configured policy extends it: its keys, aliases and prefixes are added, and where one
/// of its keys or aliases claims a word a built-in alias uses, the configured one wins. So adding a config never loses
/// a spelling that worked without one.
/// </para>
/// <para>
/// Key normalisation, applied to raw keys and aliases alike (<see cref="NormalizeKey"/>): trim; drop the namespace,
/// everything up to and including the first <c>:</c> when something follows it (<c>user:</c>, <c>aws:</c>,
/// <c>gcp:</c>, <c>tag:</c> ...: <c>aws:cloudformation:stack-name</c> → <c>cloudformation_stack_name</c>); then drop
/// the first configured extra prefix the rest starts with (case-insensitive, e.g. <c>app.kubernetes.io/</c>); split
/// camelCase (<c>CostCenter</c> → <c>Cost_Center</c>); turn <c>-</c>, space, <c>.</c>, <c>/</c> and <c>:</c> into
/// <c>_</c>, collapsing runs and trimming them at the ends; lower-case. Then an alias maps it to its canonical key.
/// So <c>Team</c>, <c>user:team</c>, <c>gcp:team</c> and <c>TEAM</c> are all <c>team</c> with no alias at all.
/// </para>
/// </summary>
public sealed class TagPolicy
{
    /// <summary>
    /// The hierarchy's keys and the other spellings every bill uses for them, understood with no configuration.
    /// Only different words are listed: case, prefixes and separators are the key normalisation's business.
    /// </summary>
    public static readonly IReadOnlyList<TagKeyPolicy> BuiltInKeys =
    [
        new("cost_center") { Aliases = ["costcenter", "cost_centre", "costcentre"] },
        new("team"),
        new("product"),
        new("model") { Aliases = ["model_name"] },
        new("environment") { Aliases = ["env", "stage"] },
        new("experiment") { Aliases = ["experiment_name"] },
    ];

    private readonly Dictionary<string, TagKeyPolicy> _keys;
    private readonly Dictionary<string, string> _aliases;
    private readonly IReadOnlyList<string> _prefixes;
    private readonly ValueCase _valueCase;
    private readonly Dictionary<string, Dictionary<string, string>> _accounts;
    private readonly ResourceTagMap _resources;

    // Raw keys repeat across tag sets (team, user:Team, env): each is normalised once. Bounded, so a file of made-up keys
    // cannot grow it without end; past the bound a key is normalised each time, with the same result.
    private const int CanonicalKeysKept = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _canonicalKeys = new(StringComparer.Ordinal);

    // Each key's value aliases, cased as the values they are compared with (first alias wins, as in the declared order);
    // built at the end of the constructor, before which NormalizeValue compares them one by one.
    private readonly Dictionary<string, Dictionary<string, string>>? _valueAliases;

    /// <param name="keys">Keys to declare on top of <see cref="BuiltInKeys"/>; a built-in key declared again keeps its built-in aliases.</param>
    /// <param name="stripPrefixes">Extra prefixes dropped after the namespace (<c>app.kubernetes.io/</c>).</param>
    public TagPolicy(
        IEnumerable<TagKeyPolicy>? keys = null,
        IEnumerable<RequiredTags>? required = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? accountTags = null,
        ResourceTagMap? resourceTags = null,
        ValueCase valueCase = ValueCase.Lower,
        IReadOnlyList<string>? stripPrefixes = null,
        string untaggedLabel = "(untagged)")
    {
        _prefixes = (stripPrefixes ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).OrderByDescending(p => p.Length).ToList();
        _valueCase = valueCase;
        UntaggedLabel = untaggedLabel;
        _keys = new Dictionary<string, TagKeyPolicy>(StringComparer.Ordinal);
        _aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys ?? [])
        {
            var canonical = NormalizeKey(key.Key);
            if (!_keys.TryAdd(canonical, key with { Key = canonical }))
            {
                throw new ArgumentException($"Tag key '{key.Key}' is declared twice.", nameof(keys));
            }
        }

        AddBuiltInKeys();
        foreach (var key in _keys.Values)
        {
            foreach (var alias in key.Aliases)
            {
                var normalized = NormalizeKey(alias);
                if (_keys.ContainsKey(normalized) && normalized != key.Key)
                {
                    throw new ArgumentException($"Alias '{alias}' of '{key.Key}' is itself the declared key '{normalized}'.", nameof(keys));
                }

                if (_aliases.TryGetValue(normalized, out var other) && other != key.Key)
                {
                    throw new ArgumentException($"Alias '{alias}' is claimed by both '{other}' and '{key.Key}'.", nameof(keys));
                }

                _aliases[normalized] = key.Key;
            }
        }

        // Allowed values are written by people: normalise them like the values they are compared with.
        foreach (var key in _keys.Values.Where(k => k.AllowedValues is not null).ToList())
        {
            _keys[key.Key] = key with
            {
                AllowedValues = key.AllowedValues!.Select(v => NormalizeValue(key.Key, v)).OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
            };
        }

        // A scope that does not parse throws FormatException; the config reader turns it into a located message.
        Required = (required ?? [])
            .Select(r => new RequiredTagRule(ParseScope(r.Scope), r.Keys.Select(CanonicalKey).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        _accounts = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (account, tags) in accountTags ?? new Dictionary<string, IReadOnlyDictionary<string, string>>())
        {
            _accounts[account.Trim()] = NormalizeAll(tags.Select(t => (t.Key, (string?)t.Value))).Tags;
        }

        _resources = resourceTags ?? ResourceTagMap.Empty;
        _valueAliases = _keys.Values.ToDictionary(
            k => k.Key,
            k =>
            {
                var valueCase = k.Case ?? _valueCase;
                var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (alias, canonical) in k.ValueAliases)
                {
                    aliases.TryAdd(ApplyCase(alias.Trim(), valueCase), ApplyCase(canonical.Trim(), valueCase));
                }

                return aliases;
            },
            StringComparer.Ordinal);
    }

    /// <summary>The policy with no configuration: the built-in keys and aliases, values trimmed and lower-cased.</summary>
    public static TagPolicy Default { get; } = new();

    /// <summary>The label reports show for a missing dimension value; untagged cost is shown, never hidden.</summary>
    public string UntaggedLabel { get; }

    /// <summary>
    /// How line items get their workload category (<c>--by category</c>): a category tag, else rules. Kept with the
    /// policy because it is read as tags are, at query time, by every report, budget and KPI that groups or filters by it.
    /// </summary>
    public Reporting.WorkloadCategories Categories { get; init; } = Reporting.WorkloadCategories.Default;

    public IReadOnlyList<RequiredTagRule> Required { get; }

    public IReadOnlyCollection<TagKeyPolicy> Keys => _keys.Values;

    /// <summary>True when some account passes tags to its resources: a reader must keep costs apart by account.</summary>
    public bool InheritsFromAccounts => _accounts.Count > 0;

    /// <summary>True when the resource mapping gives some resource tags: a reader must keep costs apart by resource.</summary>
    public bool InheritsFromResources => _resources.Count > 0;

    /// <summary>The canonical form of a raw key: normalised, then through the aliases.</summary>
    public string CanonicalKey(string rawKey)
    {
        ArgumentNullException.ThrowIfNull(rawKey);
        if (_canonicalKeys.TryGetValue(rawKey, out var known))
        {
            return known;
        }

        var normalized = NormalizeKey(rawKey);
        var canonical = _aliases.TryGetValue(normalized, out var aliased) ? aliased : normalized;
        if (_canonicalKeys.Count < CanonicalKeysKept)
        {
            _canonicalKeys.TryAdd(rawKey, canonical);
        }

        return canonical;
    }

    /// <summary>The canonical form of a value of a (canonical) key: trimmed, cased, through the value aliases; null when blank.</summary>
    public string? NormalizeValue(string key, string? rawValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (rawValue is null)
        {
            return null;
        }

        var value = rawValue.Trim();
        if (value.Length == 0)
        {
            return null;
        }

        _keys.TryGetValue(key, out var policy);
        var valueCase = policy?.Case ?? _valueCase;
        value = ApplyCase(value, valueCase);
        if (policy is not null && _valueAliases is not null)
        {
            return _valueAliases[key].TryGetValue(value, out var aliased) ? aliased : value;
        }

        if (policy is not null)
        {
            foreach (var (alias, canonical) in policy.ValueAliases)
            {
                if (string.Equals(ApplyCase(alias.Trim(), valueCase), value, StringComparison.Ordinal))
                {
                    return ApplyCase(canonical.Trim(), valueCase);
                }
            }
        }

        return value;
    }

    /// <summary>
    /// Resolves a resource's tags: normalises keys and values of its own tags, fills missing keys from the resource
    /// mapping and then from its account (own tags win, then the mapping, then the account), then checks the result.
    /// </summary>
    public TagResolution Resolve(IReadOnlyDictionary<string, string?> rawTags, string? subAccountId, string? resourceId)
    {
        ArgumentNullException.ThrowIfNull(rawTags);
        var (tags, violations) = NormalizeAll(rawTags.Select(t => (t.Key, t.Value)));
        var sources = tags.Keys.ToDictionary(k => k, _ => TagSource.Resource, StringComparer.Ordinal);

        if (resourceId is not null && _resources.TryGet(resourceId.Trim(), out var mapped))
        {
            Fill(NormalizeAll(mapped.Select(t => (t.Key, (string?)t.Value))).Tags, TagSource.ResourceMapping);
        }

        if (subAccountId is not null && _accounts.TryGetValue(subAccountId.Trim(), out var accountTags))
        {
            Fill(accountTags, TagSource.Account);
        }

        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (_keys.TryGetValue(key, out var policy) && policy.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
            {
                var from = sources[key] == TagSource.Resource ? string.Empty : $" (inherited from the {(sources[key] == TagSource.Account ? "account" : "resource mapping")})";
                violations.Add(new TagViolation(TagViolationKind.NotAllowed, key, value,
                    $"{key}={value}{from} is not allowed; allowed: {string.Join(", ", allowed)}"));
            }
        }

        var required = RequiredKeysFor(tags);
        foreach (var key in required.Where(k => !tags.ContainsKey(k)))
        {
            violations.Add(new TagViolation(TagViolationKind.Missing, key, null, $"required tag '{key}' is missing"));
        }

        return new TagResolution(tags, sources, required, violations);

        void Fill(Dictionary<string, string> inherited, TagSource source)
        {
            foreach (var (key, value) in inherited)
            {
                if (tags.TryAdd(key, value))
                {
                    sources[key] = source;
                }
            }
        }
    }

    /// <summary>A raw tag set's keys and values normalised, without inheritance or checks: what a resource says of itself.</summary>
    public IReadOnlyDictionary<string, string> NormalizeTags(IEnumerable<(string Key, string? Value)> rawTags)
    {
        ArgumentNullException.ThrowIfNull(rawTags);
        return NormalizeAll(rawTags).Tags;
    }

    /// <summary>The keys required for a resource with these (resolved) tags: the union over every scope it falls in.</summary>
    public IReadOnlyList<string> RequiredKeysFor(IReadOnlyDictionary<string, string> tags) =>
        Required.Where(r => r.Scope.Matches(tags)).SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Parses a scope (<c>all</c>, <c>environment=prod</c>, <c>environment=prod, team!=platform</c>) with this policy's normalisation.</summary>
    public TagScope ParseScope(string text) => TagScope.Parse(text, CanonicalKey, NormalizeValue);

    private (Dictionary<string, string> Tags, List<TagViolation> Violations) NormalizeAll(IEnumerable<(string Key, string? Value)> raw)
    {
        // The usual tag set has no two raw keys of one canonical key: each pair is kept as it normalises, without
        // grouping (a million tag sets went through the grouping below in 10 s). Two spellings of a key take the rule below.
        var pairs = raw as IReadOnlyCollection<(string Key, string? Value)> ?? raw.ToList();
        var direct = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
        var spelledTwice = false;
        foreach (var (rawKey, rawValue) in pairs)
        {
            if (string.IsNullOrWhiteSpace(rawKey))
            {
                continue;
            }

            var key = CanonicalKey(rawKey);
            if (NormalizeValue(key, rawValue) is not { } value || key.Length == 0)
            {
                continue;
            }

            if (!direct.TryAdd(key, value))
            {
                spelledTwice = true;
                break;
            }
        }

        return spelledTwice ? NormalizeGrouped(pairs) : (direct, []);
    }

    private (Dictionary<string, string> Tags, List<TagViolation> Violations) NormalizeGrouped(IEnumerable<(string Key, string? Value)> raw)
    {
        var candidates = raw
            .Where(t => !string.IsNullOrWhiteSpace(t.Key))
            .Select(t => (Raw: t.Key, Key: CanonicalKey(t.Key), Value: NormalizeValue(CanonicalKey(t.Key), t.Value)))
            .Where(t => t.Value is not null && t.Key.Length > 0)
            .GroupBy(t => t.Key, StringComparer.Ordinal);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var violations = new List<TagViolation>();
        foreach (var group in candidates)
        {
            // The key spelled exactly as canonical wins; otherwise the first raw spelling in ordinal order. Deterministic either way.
            var ordered = group
                .OrderBy(t => string.Equals(t.Raw, group.Key, StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(t => t.Raw, StringComparer.Ordinal)
                .ToList();
            tags[group.Key] = ordered[0].Value!;
            var values = ordered.Select(t => t.Value!).Distinct(StringComparer.Ordinal).ToList();
            if (values.Count > 1)
            {
                violations.Add(new TagViolation(TagViolationKind.Conflict, group.Key, ordered[0].Value,
                    $"{string.Join(" and ", ordered.Select(t => $"{t.Raw}={t.Value}"))} conflict for '{group.Key}'; kept {ordered[0].Value}"));
            }
        }

        return (tags, violations);
    }

    /// <summary>A raw key in its normalised form, before aliases: the rule in the class summary.</summary>
    public string NormalizeKey(string rawKey)
    {
        ArgumentNullException.ThrowIfNull(rawKey);
        var key = rawKey.AsSpan().Trim();

        // The namespace: providers put their own before the first colon (user:team, aws:createdBy, gcp:environment);
        // later colons are part of the name (aws:cloudformation:stack-name), so nothing is lost by dropping it.
        var colon = key.IndexOf(':');
        if (colon >= 0 && !key[(colon + 1)..].Trim().IsEmpty)
        {
            key = key[(colon + 1)..].TrimStart();
        }

        foreach (var prefix in _prefixes)
        {
            if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                key = key[prefix.Length..];
                break;
            }
        }

        var text = new StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '-' or ' ' or '.' or '/' or ':')
            {
                c = '_';
            }
            else if (char.IsUpper(c) && i > 0 && (char.IsLower(key[i - 1]) || char.IsDigit(key[i - 1])))
            {
                text.Append('_');
            }

            if (c == '_' && (text.Length == 0 || text[^1] == '_'))
            {
                continue;
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString().TrimEnd('_');
    }

    /// <summary>
    /// Adds <see cref="BuiltInKeys"/> under the configured keys. A configured key or alias wins: a built-in alias is
    /// dropped when the configuration uses that word for something else, and a built-in key when the configuration
    /// made it an alias of another key.
    /// </summary>
    private void AddBuiltInKeys()
    {
        var claimed = new HashSet<string>(_keys.Keys, StringComparer.Ordinal);
        claimed.UnionWith(_keys.Values.SelectMany(k => k.Aliases).Select(NormalizeKey));
        foreach (var builtIn in BuiltInKeys)
        {
            var aliases = builtIn.Aliases.Where(a => !claimed.Contains(NormalizeKey(a))).ToList();
            if (_keys.TryGetValue(builtIn.Key, out var configured))
            {
                _keys[builtIn.Key] = configured with { Aliases = [.. configured.Aliases, .. aliases] };
            }
            else if (!claimed.Contains(builtIn.Key))
            {
                _keys[builtIn.Key] = builtIn with { Aliases = aliases };
            }
        }
    }

    private static string ApplyCase(string value, ValueCase valueCase) => valueCase switch
    {
#pragma warning disable CA1308 // Tag values are lower-cased by FinOps convention (team=nlp); they are labels, not security identifiers.
        ValueCase.Lower => value.ToLowerInvariant(),
#pragma warning restore CA1308
        ValueCase.Upper => value.ToUpperInvariant(),
        _ => value,
    };
}

/// <summary>
/// A filter over resolved tags: <c>all</c> (or <c>*</c>) selects everything; otherwise comma-separated conditions
/// <c>key=value</c> or <c>key!=value</c>, all of which must hold. A missing key never equals a value.
/// </summary>
public sealed class TagScope
{
    private readonly IReadOnlyList<(string Key, string Value, bool Equal)> _conditions;

    private TagScope(string text, IReadOnlyList<(string Key, string Value, bool Equal)> conditions)
    {
        Text = text;
        _conditions = conditions;
    }

    public static TagScope All { get; } = new("all", []);

    public string Text { get; }

    public bool Matches(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (key, value, equal) in _conditions)
        {
            var has = tags.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);
            if (has != equal)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;

    /// <exception cref="FormatException">A condition is not <c>key=value</c> or <c>key!=value</c>.</exception>
    public static TagScope Parse(string text, Func<string, string> canonicalKey, Func<string, string?, string?> normalizeValue)
    {
        ArgumentNullException.ThrowIfNull(canonicalKey);
        ArgumentNullException.ThrowIfNull(normalizeValue);
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0 || trimmed == "*" || string.Equals(trimmed, "all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        var conditions = new List<(string, string, bool)>();
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var equal = part.IndexOf('=', StringComparison.Ordinal);
            var (at, width, isEqual) = notEqual >= 0 ? (notEqual, 2, false) : (equal, 1, true);
            var rawKey = at > 0 ? part[..at].Trim() : string.Empty;
            var rawValue = at > 0 ? part[(at + width)..].Trim() : string.Empty;
            if (rawKey.Length == 0 || rawValue.Length == 0)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"scope '{text}': '{part}' is not key=value or key!=value (or use 'all')"));
            }

            var key = canonicalKey(rawKey);
            conditions.Add((key, normalizeValue(key, rawValue)!, isEqual));
        }

        return new TagScope(trimmed, conditions);
    }
}
