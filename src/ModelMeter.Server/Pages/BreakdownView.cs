using ModelMeter.Application.Reporting;

namespace ModelMeter.Server.Pages;

/// <summary>A cost breakdown shown as a table with a bar per row: the bar's length and the printed figure say the same.</summary>
/// <param name="LinkPrefix">Where a row links to (<c>/teams/</c> + value), or null.</param>
/// <param name="Filters">The page's filters, kept by the links.</param>
public sealed record BreakdownView(CostReport Report, string? LinkPrefix, string Filters);
