using ModelMeter.Application.Reporting;

namespace ModelMeter.Application.Access;

/// <summary>
/// What the caller of a use case may see: everything (the CLI, an admin or org-wide API key, <c>serve --no-auth</c>),
/// or one team's costs, usage and findings (a team-scoped API key). Use cases apply it themselves, as one more
/// mandatory condition of the query (<c>tag:team=nlp</c>, read through the tag policy like any other), so a host
/// cannot forget it and the figures a team sees are exactly what <c>--where tag:team=nlp</c> shows.
/// </summary>
public sealed record AccessScope
{
    private AccessScope(string? team) => Team = team;

    public static AccessScope Everything { get; } = new((string?)null);

    /// <summary>The one team the caller may read and write, or null for every team.</summary>
    public string? Team { get; }

    public bool IsEverything => Team is null;

    public static AccessScope ForTeam(string team)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(team);
        return new AccessScope(team);
    }

    /// <summary>The query with the scope's team as a condition that must also hold.</summary>
    public CostQueryText Restrict(CostQueryText query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Team is null ? query : query with { Where = [.. query.Where, $"tag:team={Team}"] };
    }

    /// <summary>Conditions in the <c>--where</c> syntax, with the scope's team as one more that must also hold.</summary>
    public IReadOnlyList<string> Restrict(IReadOnlyList<string> where)
    {
        ArgumentNullException.ThrowIfNull(where);
        return Team is null ? where : [.. where, $"tag:team={Team}"];
    }

    /// <summary>Refuses what only an org-wide caller may see (the whole bill's provenance, say).</summary>
    public void DemandEverything(string what)
    {
        if (Team is not null)
        {
            throw new AccessDeniedException($"{what} covers every team; this API key reads team '{Team}' only.");
        }
    }

    public override string ToString() => Team is null ? "every team" : $"team {Team}";
}

/// <summary>The caller may not read or write this (HTTP 403). The message says what the caller's scope is.</summary>
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException()
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
