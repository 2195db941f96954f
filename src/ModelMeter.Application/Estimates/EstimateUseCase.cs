using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;
using ModelMeter.Store;

namespace ModelMeter.Application.Estimates;

/// <summary><c>estimate SPEC</c>: a spec file, and the config whose <c>prices:</c> override the catalogue.</summary>
public sealed record EstimateRequest(string Spec, string? Config = null)
{
    /// <summary>Record the estimate in the store under its id, for <c>runs --reconcile</c>.</summary>
    public bool Record { get; init; }

    /// <summary>The store to record it in (<c>--store</c>); the config's store when null.</summary>
    public string? StorePath { get; init; }

    /// <summary>The spec's YAML when it is sent as text (the API's request body); <see cref="Spec"/> then only names it.</summary>
    public string? Yaml { get; init; }
}

/// <summary>A spec sent as text: the name messages use, and its YAML.</summary>
public sealed record InlineSpec(string Name, string Yaml)
{
    public EstimateSpec Parse() => EstimateSpec.Parse(Yaml, Name);
}

/// <summary>Prices a training run, an endpoint, an LLM feature or a build-vs-buy decision from a YAML spec, showing the working.</summary>
public sealed class EstimateUseCase(PriceCatalogs catalogs, StoreProvider stores, ModelMeterEnvironment environment)
{
    public EstimateResult Run(EstimateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var catalog = catalogs.Load(request.Config);
        var spec = request.Yaml is { } yaml ? new InlineSpec(request.Spec, yaml).Parse() : catalogs.ReadSpec(request.Spec);
        var report = EstimateRunner.Run(spec, catalog);
        var result = EstimateResult.Of(report) with { Warnings = catalogs.StaleWarnings(catalog, report.PricesUsed) };
        result = result with { EstimateId = IdOf(spec.SourceName, environment.ResolvePath(request.Spec), result, request.Yaml) };
        if (request.Record)
        {
            result = Record(request, result);
        }

        return result;
    }

    /// <summary>
    /// The estimate's id: the spec's text and the headline figure it gave, hashed. The same spec priced the same way
    /// keeps its id; a changed spec or price gives a new one, so a run tagged with an id always means one estimate.
    /// </summary>
    internal static string IdOf(string specName, string specPath, EstimateResult result, string? yaml = null)
    {
        var text = yaml ?? (File.Exists(specPath) ? File.ReadAllText(specPath) : specName);
        var key = string.Create(CultureInfo.InvariantCulture, $"{text}\n{result.Kind}|{result.Headline.Key}|{result.Headline.Value}|{result.Currency}");
        return "est-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..10];
    }

    private EstimateResult Record(EstimateRequest request, EstimateResult result)
    {
        var hours = result.Results.FirstOrDefault(r => r.Key == "wall_clock_hours")?.Value;
        try
        {
            using var opened = stores.Open(new StoreOptions(request.StorePath, request.Config), StoreAccess.Write);
            opened.Store.RecordEstimate(new RecordedEstimate(
                result.EstimateId!, environment.UtcNow, result.Spec, result.Kind, result.Title, result.Headline.Value, result.Currency, hours));
            return result with { RecordedIn = opened.Location.ToString() };
        }
        catch (UserInputException e)
        {
            // The estimate stands without the store: it is only not available to runs --reconcile.
            return result with { Warnings = [.. result.Warnings, $"The estimate was not recorded: {e.Message}"] };
        }
    }
}

/// <summary>
/// An estimate (<c>modelmeter estimate --format json</c>): the model's inputs (with where each came from), every
/// formula step with its value, the results, the headline figure, scenarios for ranged inputs, and the catalogue
/// prices used with their sources and dates.
/// </summary>
/// <param name="Spec">The spec file as named.</param>
/// <param name="Kind">The cost model: <c>training</c>, <c>inference</c>, <c>llm</c>, <c>hidden</c>, <c>tco</c>, <c>envelope</c>.</param>
/// <param name="Defaults">Inputs the spec left out and the defaults used for them.</param>
/// <param name="Scenarios">Optimistic, expected and pessimistic results when inputs are ranges; else null.</param>
public sealed record EstimateResult(
    string Spec,
    string Kind,
    string Title,
    string Currency,
    EstimateHeadline Headline,
    IReadOnlyList<EstimateFigure> Results,
    IReadOnlyList<EstimateInput> Inputs,
    IReadOnlyList<EstimateDefault> Defaults,
    IReadOnlyList<CalculationStep> Steps,
    IReadOnlyList<string> Notes,
    EstimateScenarios? Scenarios,
    IReadOnlyList<PriceUsed> PricesUsed)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// The estimate's id (<c>est-</c> and 10 hex digits): tag the runs it estimates with <c>modelmeter.estimate_id</c>
    /// to compare it with what they cost (<c>runs --reconcile</c>).
    /// </summary>
    public string? EstimateId { get; init; }

    /// <summary>The store the estimate was recorded in; null when it was not recorded (<c>--no-record</c>).</summary>
    public string? RecordedIn { get; init; }

    /// <summary>The model's report, for the table and Markdown renderers.</summary>
    [JsonIgnore]
    public EstimateReport Report { get; init; } = null!;

    public static EstimateResult Of(EstimateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var e = report.Estimate;
        return new EstimateResult(
            report.Spec.SourceName,
            e.Kind,
            e.Title,
            e.Currency,
            new EstimateHeadline(e.HeadlineKey, e.HeadlineFigure.Label, e.HeadlineFigure.Value),
            e.Results,
            e.Inputs,
            report.Defaults.Select(d => new EstimateDefault(d.Name, d.Value, d.Origin)).ToList(),
            e.Steps,
            e.Notes,
            report.Scenarios is { } set
                ? new EstimateScenarios(Figures(set.Optimistic), Figures(set.Expected), Figures(set.Pessimistic),
                    set.Choices)
                : null,
            report.PricesUsed.Select(p => new PriceUsed(p.Kind, p.Key, p.Provenance.Source, p.Provenance.AsOf, p.Provenance.Origin)).ToList())
        {
            Report = report,
        };
    }

    private static Dictionary<string, decimal> Figures(Estimate e) => e.Results.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
}

/// <summary>The figure a check or a summary uses (say the total cost of a training run).</summary>
public sealed record EstimateHeadline(string Key, string Label, decimal Value);

/// <param name="Origin">Where the default comes from (a catalogue entry, a documented rule of thumb).</param>
public sealed record EstimateDefault(string Name, string Value, string Origin);

/// <summary>Each scenario's results (result key → value) and the input values each scenario took.</summary>
public sealed record EstimateScenarios(
    IReadOnlyDictionary<string, decimal> Optimistic,
    IReadOnlyDictionary<string, decimal> Expected,
    IReadOnlyDictionary<string, decimal> Pessimistic,
    IReadOnlyList<ScenarioChoice> Choices);


/// <summary>A catalogue price an estimate used.</summary>
/// <param name="Origin">The shipped catalogue, or the config file that overrode it.</param>
public sealed record PriceUsed(string Kind, string Key, string Source, DateOnly AsOf, string Origin);
