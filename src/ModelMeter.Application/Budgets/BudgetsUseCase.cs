using System.Globalization;
using System.Text;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Configuration;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Application.Budgets;

/// <summary><c>budget status</c>.</summary>
public sealed record BudgetStatusRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who asks: every team, or one team's key (it sees its team's budgets only, see <see cref="BudgetsUseCase.Sees"/>).</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>Only this budget and the budgets inside it.</summary>
    public string? Name { get; init; }

    /// <summary>Evaluate as of the end of this day (<c>YYYY-MM-DD</c>, each budget's local day): what was known then.</summary>
    public string? AsOf { get; init; }
}

/// <summary><c>budget add</c>: the budget as the options spell it.</summary>
public sealed record BudgetAddRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Name { get; init; }

    public IReadOnlyList<string> Scope { get; init; } = [];

    public decimal? Amount { get; init; }

    public string? Currency { get; init; }

    public string? Parent { get; init; }

    public string? Basis { get; init; }

    public string? Period { get; init; }

    public string? TimeZone { get; init; }

    /// <summary>Comma-separated percentages: <c>50,80,100</c>.</summary>
    public string? ActualThresholds { get; init; }

    public string? ForecastThresholds { get; init; }

    public string? Owner { get; init; }

    public string? Team { get; init; }

    public IReadOnlyList<string> Sinks { get; init; } = [];
}

/// <summary>
/// Budgets: configured in modelmeter.yaml (<c>budgets:</c>), edited by <c>budget add|remove</c>, listed, and evaluated
/// by <c>budget status</c>, which also keeps each closed period's result in the store.
/// </summary>
public sealed class BudgetsUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public BudgetListReport List(StoreOptions options) => List(options, AccessScope.Everything);

    /// <summary><c>budget list</c> for a caller: a team's key lists its team's budgets only.</summary>
    public BudgetListReport List(StoreOptions options, AccessScope access)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(access);
        var config = stores.LoadConfig(options);
        var tree = BudgetTree.Order(BudgetConfigReader.Budgets(config)).Where(n => Sees(access, n.Budget)).ToList();
        var warnings = tree.Count == 0 ? new[] { "No budgets are configured: add one with `modelmeter budget add NAME --amount N --scope tag:team=...`, or under budgets: in modelmeter.yaml." } : [];
        return new BudgetListReport(config.SourcePath, tree.Select(BudgetDocument.Of).ToList()) { Warnings = warnings };
    }

    public BudgetChangeResult Add(BudgetAddRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var amount = request.Amount ?? throw new UserInputException("budget add needs --amount: the budget for one period, e.g. --amount 12000.");
        var entry = new BudgetEntry(
            request.Name.Trim(), request.Scope, amount, request.Currency?.Trim().ToUpperInvariant(), request.Parent, request.Basis, request.Period, request.TimeZone,
            Percentages(request.ActualThresholds, "--actual-thresholds"), Percentages(request.ForecastThresholds, "--forecast-thresholds"),
            request.Owner, request.Team, request.Sinks);
        var (path, text, created) = ConfigText(request.Store);
        var config = stores.LoadConfig(request.Store with { Config = created ? null : path });
        if ((config.Budgets ?? []).Any(b => string.Equals(b.Name?.Trim(), entry.Name, StringComparison.Ordinal)))
        {
            throw new UserInputException($"A budget named '{entry.Name}' already exists in {path}; remove it first (modelmeter budget remove {entry.Name}) or choose another name.");
        }

        var updated = BudgetConfigEditor.Add(text, entry);
        // The new file must read back as a valid config holding the budget, or nothing is written.
        var parsed = ConfigParser.Parse(updated, path);
        if (!BudgetConfigReader.Budgets(parsed, path).Any(b => b.Name == entry.Name))
        {
            throw new InvalidOperationException("The edited config does not hold the new budget.");
        }

        File.WriteAllText(path, updated, new UTF8Encoding(false));
        return new BudgetChangeResult(path, entry.Name, Created: created, Removed: false);
    }

    public BudgetChangeResult Remove(StoreOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        var (path, text, created) = ConfigText(options);
        if (created)
        {
            throw new UserInputException($"There is no budget named '{name}': there is no {ConfigLocator.FileName} here (or give --config).");
        }

        var config = stores.LoadConfig(options with { Config = path });
        var children = BudgetConfigReader.Budgets(config).Where(b => b.Parent == name.Trim()).Select(b => b.Name).ToList();
        if (children.Count > 0)
        {
            throw new UserInputException($"Budget '{name}' has budgets inside it ({string.Join(", ", children)}); remove or move them first.");
        }

        var updated = BudgetConfigEditor.Remove(text, name.Trim());
        ConfigParser.Parse(updated, path);
        File.WriteAllText(path, updated, new UTF8Encoding(false));
        return new BudgetChangeResult(path, name.Trim(), Created: false, Removed: true);
    }

    public BudgetStatusReport Status(BudgetStatusRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asOf = ParseDay(request.AsOf, "--as-of");
        var config = stores.LoadConfig(request.Store);
        var budgets = BudgetConfigReader.Budgets(config);
        var visible = budgets.Where(b => Sees(request.Access, b)).ToList();
        if (request.Name is { } name)
        {
            if (budgets.FirstOrDefault(b => b.Name == name) is { } named && !Sees(request.Access, named))
            {
                throw new AccessDeniedException($"Budget '{name}' is charged more than team '{request.Access.Team}' ({(named.Scope.Label.Length == 0 ? "everything" : named.Scope.Label)}); this API key reads team '{request.Access.Team}' only.");
            }

            if (visible.All(b => b.Name != name))
            {
                throw new UserInputException($"There is no budget named '{name}'; the budgets are {(visible.Count == 0 ? "none (add one with modelmeter budget add)" : string.Join(", ", visible.Select(b => b.Name)))}.");
            }
        }

        var warnings = new List<string>();
        if (budgets.Count == 0)
        {
            return new BudgetStatusReport(environment.UtcNow, [], 0)
            {
                Warnings = ["No budgets are configured: add one with `modelmeter budget add NAME --amount N --scope tag:team=...`, or under budgets: in modelmeter.yaml."],
            };
        }

        // Written to: each closed period's result is kept the first time it is seen, so history survives the reset.
        using var opened = stores.Open(request.Store, config, StoreAccess.Write, "budget status reads the spend of each budget from it");
        var setup = AttributionSetup.From(config, stores.Configs.BaseDirectory(config));
        // Every budget is evaluated (a budget's figures never depend on who asks); a team's key is shown its team's.
        var states = BudgetBook.Evaluate(opened.Store, setup, budgets, environment.UtcNow, asOf, warnings, b => Sees(request.Access, b));
        var recorded = asOf is null ? states.SelectMany(s => s.Closed).Count(opened.Store.RecordBudgetPeriod) : 0;
        var history = opened.Store.BudgetPeriods().ToLookup(p => p.Budget, StringComparer.Ordinal);
        var shown = (request.Name is { } only
            ? states.Where(s => s.Node.Budget.Name == only || BudgetTree.Descendants(BudgetTree.Order(budgets), only).Contains(s.Node.Budget.Name))
            : states).Where(s => Sees(request.Access, s.Node.Budget)).ToList();
        return new BudgetStatusReport(environment.UtcNow, shown.Select(s => BudgetStatusDocument.Of(s, history[s.Node.Budget.Name].ToList())).ToList(), recorded)
        {
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Whether the caller may see a budget: everything for an org-wide caller; for a team's key, a budget whose scope
    /// (with its parents') holds <c>tag:team=TEAM</c>, so every cost it is charged is that team's. A parent over several
    /// teams is not shown to any one of them: its spent would be the other teams' too.
    /// </summary>
    public static bool Sees(AccessScope access, BudgetDefinition budget)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(budget);
        return access.Team is not { } team || budget.Scope.Filters.Any(f =>
            f is { Dimension: TagDimension { Key: var key }, Operator: FilterOperator.Equal, Values: [var value] }
            && string.Equals(key, "team", StringComparison.OrdinalIgnoreCase) && string.Equals(value, team, StringComparison.Ordinal));
    }

    internal static DateOnly? ParseDay(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new UserInputException($"{option} '{text}' is not a day; write it as YYYY-MM-DD, e.g. 2026-11-20.");
    }

    private static List<decimal>? Percentages(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => decimal.TryParse(p.TrimEnd('%'), NumberStyles.Number, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new UserInputException($"{option} '{text}': '{p}' is not a percentage; write them as 50,80,100."))
            .ToList();
    }

    /// <summary>The config file to edit (named, or ./modelmeter.yaml), its text, and whether it is to be created.</summary>
    private (string Path, string Text, bool Created) ConfigText(StoreOptions options)
    {
        var path = options.Config is { } named ? environment.ResolvePath(named) : Path.Combine(environment.WorkingDirectory, ConfigLocator.FileName);
        if (File.Exists(path))
        {
            return (path, ConfigLocator.ReadText(path, options.Config ?? ConfigLocator.FileName), false);
        }

        if (options.Config is not null)
        {
            throw new UserInputException($"Config file '{options.Config}' does not exist.");
        }

        return (path, "", true);
    }
}
