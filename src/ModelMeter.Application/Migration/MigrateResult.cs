namespace ModelMeter.Application.Migration;

/// <summary>The answer of <c>modelmeter migrate</c>: what was copied, and the check that both stores now say the same.</summary>
/// <param name="From">The store copied from.</param>
/// <param name="To">The store copied to.</param>
/// <param name="Imports">Each import of the source, in order: copied now, or found already copied (a migration that was interrupted resumes).</param>
/// <param name="Checks">The figures compared after copying, source against target.</param>
/// <param name="TotalsMatch">True when every check matched to the last digit.</param>
public sealed record MigrateResult(string From, string To, IReadOnlyList<MigratedImport> Imports, IReadOnlyList<MigrationCheck> Checks, bool TotalsMatch)
{
    /// <summary>Notes for the person asking, shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>One import as the migration handled it.</summary>
/// <param name="ImportId">Its number, the same in both stores.</param>
/// <param name="Kind">Its kind as <c>modelmeter imports</c> shows it (<c>focus</c>, <c>usage</c>, <c>mlflow</c>, ...).</param>
/// <param name="Status"><c>copied</c>, or <c>already_there</c> when the target held it from an earlier run.</param>
/// <param name="LineItems">Line items copied (what the import still holds in the source: replaced rows are not copied).</param>
/// <param name="UsageSamples">Usage samples copied.</param>
/// <param name="Rates">Exchange rates copied.</param>
public sealed record MigratedImport(long ImportId, string Kind, string Status, long LineItems, long UsageSamples, long Rates);

/// <summary>A figure read from both stores after the copy.</summary>
/// <param name="Check">
/// What was compared: a cost column summed over the whole store (<c>EffectiveCost</c>, <c>BilledCost</c>, <c>ListCost</c>,
/// <c>ContractedCost</c>; it matches only when every month matches too), <c>usage:METRIC</c> (the metric's samples
/// summed), <c>exchange_rates</c> (how many; it matches only when every rate does), <c>imports</c> (how many; every
/// import's provenance must match), <c>line_items</c> (rows read from the source against rows the target stored),
/// <c>usage_statistics</c> (hourly usage summed; every bucket must match), <c>runs</c>, <c>business_metrics</c>,
/// <c>estimates</c>, <c>alert_deliveries</c>, <c>budget_periods</c> (how many; every one must match),
/// <c>llm_calls</c> (LLM cost per currency; every day, model and tier row must match), <c>usage_batches</c> (posted
/// events; the batch count must match too).
/// </param>
/// <param name="Currency">The billing currency of a cost check; null for the others.</param>
/// <param name="Source">The figure in the source store.</param>
/// <param name="Target">The figure in the target store.</param>
/// <param name="Matches">True when the two agree to the last digit.</param>
public sealed record MigrationCheck(string Check, string? Currency, decimal Source, decimal Target, bool Matches);
