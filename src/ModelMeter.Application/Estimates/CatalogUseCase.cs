using ModelMeter.Core.Catalog;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Estimates;

/// <summary><c>catalog [search TERM]</c>: entries of one kind, or matching a term.</summary>
public sealed record CatalogRequest(string? Kind = null, string? Term = null, string? Config = null);

/// <summary>Every price the estimates use, with its source and date; the config's <c>prices:</c> applied.</summary>
public sealed class CatalogUseCase(PriceCatalogs catalogs, Hosting.ModelMeterEnvironment environment)
{
    public static readonly IReadOnlyList<string> Kinds = ["gpu", "instance", "llm", "storage", "transfer"];

    public CatalogListing Run(CatalogRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is { } k && !Kinds.Contains(k, StringComparer.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--kind '{k}' is not a catalogue kind; use {string.Join(", ", Kinds)}.");
        }

        var catalog = catalogs.Load(request.Config);
        var entries = (request.Term is null ? catalog.Entries : catalog.Search(request.Term))
            .Where(e => request.Kind is null || string.Equals(e.Kind, request.Kind, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var stale = catalog.StaleEntries(environment.Clock).ToHashSet();
        return new CatalogListing(
            request.Term,
            entries.Select(e => new CatalogListingEntry(e.Kind, e.Key, e.Summary, e.Provenance.Source, e.Provenance.AsOf, e.Provenance.Origin, stale.Contains(e), e)).ToList())
        {
            Warnings = catalogs.StaleWarnings(catalog, entries),
        };
    }
}

/// <summary><c>modelmeter catalog --format json</c>: the catalogue entries asked for.</summary>
/// <param name="Term">The search term, or null for a listing.</param>
public sealed record CatalogListing(string? Term, IReadOnlyList<CatalogListingEntry> Entries)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One catalogue entry with its provenance.</summary>
/// <param name="Summary">Its figures in words.</param>
/// <param name="Origin">The shipped catalogue file, or the config that overrode it.</param>
/// <param name="Stale">Older than the staleness limit by the clock.</param>
/// <param name="Entry">The entry's fields (per kind: a GPU's TFLOPS by precision, an instance's prices per hour, an LLM's prices per token ...).</param>
public sealed record CatalogListingEntry(string Kind, string Key, string Summary, string Source, DateOnly AsOf, string Origin, bool Stale, object Entry);
