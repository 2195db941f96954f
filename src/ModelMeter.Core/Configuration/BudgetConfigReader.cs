using System.Globalization;
using ModelMeter.Core.Alerts;
using ModelMeter.Core.Anomalies;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Configuration;

/// <summary>
/// Turns <c>budgets:</c>, <c>alerts:</c> and <c>anomalies:</c> into domain types, with messages that name the file,
/// the budget or sink and what would be valid. <see cref="ConfigParser"/> calls <see cref="Validate"/>.
/// </summary>
public static class BudgetConfigReader
{
    private static readonly string[] SinkKinds = ["webhook", "slack", "alertmanager", "stdout"];

    public static void Validate(ModelMeterConfig config, string source)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sinks = Sinks(config, source);
        var budgets = Budgets(config, source);
        var names = sinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var budget in budgets)
        {
            foreach (var sink in budget.Sinks.Where(s => !names.Contains(s)))
            {
                throw new UserInputException($"{source}: budgets.{budget.Name}.sinks names '{sink}', which is not in alerts.sinks ({Known(names)}).");
            }
        }

        var anomalies = Anomalies(config, source);
        foreach (var sink in anomalies.Sinks.Where(s => !names.Contains(s)))
        {
            throw new UserInputException($"{source}: anomalies.sinks names '{sink}', which is not in alerts.sinks ({Known(names)}).");
        }
    }

    public static IReadOnlyList<BudgetDefinition> Budgets(ModelMeterConfig config, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var entries = config.Budgets ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var name = entries[i]?.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                throw new UserInputException($"{source}: budgets[{i}] has no name; every budget needs one (name: search-monthly).");
            }

            if (!seen.Add(name))
            {
                throw new UserInputException($"{source}: budgets: the name '{name}' is used twice; budget names are unique.");
            }
        }

        BudgetTree.Validate(entries.Select(e => (e.Name!.Trim(), Parent: string.IsNullOrWhiteSpace(e.Parent) ? null : e.Parent.Trim())).ToList(), source);
        var byName = entries.ToDictionary(e => e.Name!.Trim(), StringComparer.Ordinal);
        var built = new Dictionary<string, BudgetDefinition>(StringComparer.Ordinal);
        BudgetDefinition Build(string name)
        {
            if (built.TryGetValue(name, out var done))
            {
                return done;
            }

            var entry = byName[name];
            var where = $"{source}: budgets.{name}";
            var parent = string.IsNullOrWhiteSpace(entry.Parent) ? null : Build(entry.Parent.Trim());
            var own = BudgetScope.Parse(entry.Scope ?? [], $"{where}.scope");
            var scope = parent is null ? own : Combine(parent.Scope, own);
            var basis = (entry.Basis ?? "direct").Trim().ToLowerInvariant() switch
            {
                "direct" => BudgetBasis.Direct,
                "allocated" => BudgetBasis.Allocated,
                _ => throw new UserInputException($"{where}.basis '{entry.Basis}' is not a basis; use direct (the bill as imported) or allocated (after the allocation rules)."),
            };
            BudgetPeriodKind period;
            try
            {
                period = BudgetPeriod.ParseKind(entry.Period);
            }
            catch (UserInputException e)
            {
                throw new UserInputException($"{where}.period '{entry.Period}' is not a budget period; use month, quarter or year.", e);
            }

            var zone = BudgetWindow.ParseZone(entry.TimeZone, $"{where}.time_zone");
            var amount = entry.Amount ?? throw new UserInputException($"{where} has no amount; give the budget for one {period.ToString().ToLowerInvariant()} (amount: 12000).");
            if (amount <= 0m)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{where}.amount {amount} must be positive."));
            }

            var currency = (entry.Currency ?? parent?.Amount.Currency ?? config.Currency).Trim().ToUpperInvariant();
            if (!Currency.IsWellFormed(currency))
            {
                throw new UserInputException($"{where}.currency '{entry.Currency}' is not an ISO 4217 code such as USD.");
            }

            if (parent is not null && parent.Amount.Currency != currency)
            {
                throw new UserInputException($"{where} is in {currency} but its parent {parent.Name} is in {parent.Amount.Currency}; nested budgets share a currency (ModelMeter does not convert).");
            }

            if (parent is not null && (parent.Period != period || parent.Zone.Id != zone.Id))
            {
                throw new UserInputException($"{where}: a budget inside {parent.Name} must have its period ({parent.Period.ToString().ToLowerInvariant()}) and time zone ({BudgetWindow.ZoneName(parent.Zone)}), so its spend counts toward the same period.");
            }

            var actual = Thresholds(entry.Thresholds?.Actual, BudgetDefinition.DefaultActualThresholds, $"{where}.thresholds.actual");
            var forecast = Thresholds(entry.Thresholds?.Forecast, BudgetDefinition.DefaultForecastThresholds, $"{where}.thresholds.forecast");
            BudgetAction? action = null;
            if (entry.OnExceed is { } onExceed)
            {
                if (onExceed.Command is { } command && (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])))
                {
                    throw new UserInputException($"{where}.on_exceed.command is empty; write the program and its arguments as a list: [scripts/scale-down.sh, ranker-v3-prod].");
                }

                action = new BudgetAction(onExceed.FailCheck, onExceed.Command);
            }

            var definition = new BudgetDefinition(
                name, own, scope, parent?.Name, basis, period, zone, new Money(amount, currency), actual, forecast,
                Blank(entry.Owner), Blank(entry.Team), (entry.Sinks ?? []).Select(s => s.Trim()).ToList(), action);
            built[name] = definition;
            return definition;
        }

        return entries.Select(e => Build(e.Name!.Trim())).ToList();
    }

    public static IReadOnlyList<AlertSinkDefinition> Sinks(ModelMeterConfig config, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var list = new List<AlertSinkDefinition>();
        var entries = config.Alerts?.Sinks ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? new AlertSinkConfig();
            var name = entry.Name?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                throw new UserInputException($"{source}: alerts.sinks[{i}] has no name.");
            }

            var where = $"{source}: alerts.sinks.{name}";
            if (list.Any(s => s.Name == name))
            {
                throw new UserInputException($"{where}: the name is used twice.");
            }

            var kindText = entry.Kind?.Trim().ToLowerInvariant();
            var kind = kindText switch
            {
                "webhook" => AlertSinkKind.Webhook,
                "slack" => AlertSinkKind.Slack,
                "alertmanager" => AlertSinkKind.Alertmanager,
                "stdout" => AlertSinkKind.Stdout,
                _ => throw new UserInputException($"{where}.kind '{entry.Kind}' is not a sink kind; use {string.Join(", ", SinkKinds)}."),
            };
            Uri? url = null;
            if (kind != AlertSinkKind.Stdout)
            {
                if (!Uri.TryCreate(entry.Url, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
                {
                    throw new UserInputException($"{where}.url '{entry.Url}' is not an http(s) URL; a {kindText} sink needs one.");
                }
            }

            if (entry.Retries is < 0 or > 10)
            {
                throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{where}.retries {entry.Retries} must be 0 to 10."));
            }

            if (entry.BackoffSeconds < 0m || entry.TimeoutSeconds <= 0m)
            {
                throw new UserInputException($"{where}: backoff_seconds must not be negative and timeout_seconds must be positive.");
            }

            list.Add(new AlertSinkDefinition(name, kind, url, Blank(entry.SecretEnv), entry.Retries,
                TimeSpan.FromMilliseconds((double)(entry.BackoffSeconds * 1000m)), TimeSpan.FromMilliseconds((double)(entry.TimeoutSeconds * 1000m))));
        }

        return list;
    }

    public static AnomalySettings Anomalies(ModelMeterConfig config, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var source = sourceName ?? config.SourcePath ?? "modelmeter.yaml";
        var section = config.Anomalies ?? new AnomaliesConfig();
        var detector = section.Detector?.Trim() ?? AnomalyDetectors.Default.Name;
        if (AnomalyDetectors.Find(detector) is not { } found)
        {
            throw new UserInputException($"{source}: anomalies.detector '{detector}' is not a detector; use {string.Join(" or ", AnomalyDetectors.All.Select(d => d.Name))}.");
        }

        if (section.MinImpact is < 0m)
        {
            throw new UserInputException($"{source}: anomalies.min_impact must not be negative.");
        }

        if (section.Threshold is <= 0m)
        {
            throw new UserInputException($"{source}: anomalies.threshold must be positive.");
        }

        return new AnomalySettings(found.Name, section.MinImpact ?? AnomalyDetectors.DefaultMinimumImpact, section.Threshold, Blank(section.By), Blank(section.Last) ?? "7d",
            (section.Sinks ?? []).Select(s => s.Trim()).ToList())
        {
            Where = (section.Where ?? []).Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).ToList(),
        };
    }

    /// <summary>A child's scope: its parent's conditions, then its own.</summary>
    public static BudgetScope Combine(BudgetScope parent, BudgetScope own)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(own);
        var label = string.Join(" and ", new[] { parent.Label, own.Label }.Where(l => l.Length > 0));
        return new BudgetScope([.. parent.Filters, .. own.Filters], label);
    }

    private static List<decimal> Thresholds(List<decimal>? values, IReadOnlyList<decimal> defaults, string where)
    {
        var list = values ?? [.. defaults];
        foreach (var value in list.Where(v => v <= 0m || v > 1000m))
        {
            throw new UserInputException(string.Create(CultureInfo.InvariantCulture, $"{where}: {value} is not a percentage of the amount; use numbers such as 50, 80, 100 (above 0, at most 1000)."));
        }

        return list.Distinct().Order().ToList();
    }

    private static string Known(HashSet<string> names) => names.Count == 0 ? "none is configured" : string.Join(", ", names.Order(StringComparer.Ordinal));

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
