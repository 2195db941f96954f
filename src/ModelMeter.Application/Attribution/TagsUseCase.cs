using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Attribution;

/// <summary><c>tags</c>: tag compliance over a period, optionally as a gate (<see cref="FailUnder"/>).</summary>
public sealed record TagsRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (applied here, as a mandatory condition).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    public CostQueryText Query { get; init; } = CostQueryText.Everything;

    /// <summary>Fail when the fully tagged share of cost (in any currency) is below this percentage.</summary>
    public decimal? FailUnder { get; init; }

    /// <summary>How many of the largest untagged resources to list.</summary>
    public int Top { get; init; } = 10;
}

/// <summary>Tag compliance under the tag policy: fully tagged share, per required key, largest untagged resources, disallowed values.</summary>
public sealed class TagsUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    /// <summary>What to do when nothing is required, as the config `init` writes shows it.</summary>
    public const string NothingRequiredHint = "Add the keys every cost must carry under tags.required in modelmeter.yaml, e.g. `required: [{ scope: all, keys: [team] }]` (modelmeter init writes it).";

    public TagComplianceResult Run(TagsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.FailUnder is < 0m or > 100m)
        {
            throw new UserInputException("--fail-under must be a percentage from 0 to 100.");
        }

        if (request.Top < 0)
        {
            throw new UserInputException("--top must be zero or more.");
        }

        var query = request.Access.Restrict(request.Query).ToQuery(environment.UtcNow);
        using var opened = stores.Open(request.Store, StoreAccess.Read, "tags reads imported costs from it");
        var setup = AttributionSetup.From(opened.Config, stores.Configs.BaseDirectory(opened.Config));
        var required = setup.Policy.Required.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (required.Count == 0 && request.FailUnder is not null)
        {
            // With nothing required every cost is "fully tagged": a gate that always passes is worse than none.
            throw new UserInputException($"--fail-under {request.FailUnder}: the tag policy requires no tag key, so there is nothing to measure. {NothingRequiredHint}");
        }

        var billed = opened.Store.QueryBilledCostRows(PolicyTagReport.ColumnPart(query));
        var reports = TagCompliance.Compute(setup.Policy, CostAttribution.ForCompliance(setup.WithTags(billed, query.Where)), request.Top);
        return TagComplianceResult.Of(reports, request.FailUnder) with
        {
            RequiredKeys = required,
            Warnings = required.Count == 0 ? [$"The tag policy requires no tag key, so there is no compliance to measure. {NothingRequiredHint}"] : [],
        };
    }
}

/// <summary>
/// <c>modelmeter tags</c>: per currency, the share of (positive) cost whose every required key is present with an
/// allowed value, coverage per key, the largest untagged resources, values outside the allowed lists and conflicts.
/// </summary>
/// <param name="FailUnder">The threshold asked, in percent, or null.</param>
/// <param name="Passed">Whether every currency meets <see cref="FailUnder"/>; null without a threshold.</param>
public sealed record TagComplianceResult(decimal? FailUnder, bool? Passed, IReadOnlyList<CurrencyCompliance> Currencies)
{
    /// <summary>The keys the tag policy requires somewhere (canonical); empty when nothing is required, and shares are then moot.</summary>
    public IReadOnlyList<string> RequiredKeys { get; init; } = [];

    /// <summary>Notes for the person asking (nothing required), shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static TagComplianceResult Of(IReadOnlyList<TagComplianceReport> reports, decimal? failUnder)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return new TagComplianceResult(
            failUnder,
            failUnder is { } threshold ? TagCompliance.MeetsThreshold(reports, threshold) : null,
            reports.Select(r => new CurrencyCompliance(
                r.Currency, r.Rows, r.TotalCost, r.FullyTaggedCost, Math.Round(r.FullyTaggedPercent, 4),
                failUnder is { } t ? TagCompliance.MeetsThreshold([r], t) : null, r.Credits,
                r.Keys.Select(k => new KeyCoverage(k.Key, k.RequiredCost, k.TaggedCost, k.Share is { } s ? Math.Round(s * 100m, 4) : null)).ToList(),
                r.LargestUntagged.Select(u => new UntaggedCost(u.ResourceId, u.SubAccountId, u.Cost, u.MissingKeys)).ToList(),
                r.DisallowedValues.Select(d => new DisallowedTagValue(d.Key, d.Value, d.Cost, d.Rows, d.Allowed)).ToList(),
                r.Conflicts)).ToList());
    }
}

/// <param name="Rows">Billing aggregates (day × resource × tag set) looked at.</param>
/// <param name="TotalCost">Sum of the positive costs: the base of every share.</param>
/// <param name="FullyTaggedPercent">Fully tagged cost over total cost, in percent, four places; 100 when there is nothing to tag.</param>
/// <param name="Passed">Whether this currency meets the threshold; null without one.</param>
/// <param name="Credits">Negative costs (credits, refunds), left out of the shares.</param>
public sealed record CurrencyCompliance(
    string Currency,
    int Rows,
    decimal TotalCost,
    decimal FullyTaggedCost,
    decimal FullyTaggedPercent,
    bool? Passed,
    decimal Credits,
    IReadOnlyList<KeyCoverage> Keys,
    IReadOnlyList<UntaggedCost> LargestUntagged,
    IReadOnlyList<DisallowedTagValue> DisallowedValues,
    IReadOnlyList<string> Conflicts);

/// <param name="RequiredCost">Cost of the rows that require the key.</param>
/// <param name="TaggedPercent">Tagged over required, in percent; null when nothing requires it.</param>
public sealed record KeyCoverage(string Key, decimal RequiredCost, decimal TaggedCost, decimal? TaggedPercent);

/// <param name="Missing">The required keys it lacks.</param>
public sealed record UntaggedCost(string? ResourceId, string? SubAccountId, decimal Cost, IReadOnlyList<string> Missing);

/// <param name="Allowed">The key's allowed values.</param>
public sealed record DisallowedTagValue(string Key, string Value, decimal Cost, int Rows, IReadOnlyList<string> Allowed);
