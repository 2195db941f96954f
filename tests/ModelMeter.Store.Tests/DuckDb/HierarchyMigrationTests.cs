using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Core.Billing;
using ModelMeter.Import.Focus;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>Schema version 3 recomputes the hierarchy columns of a store imported by an older normaliser.</summary>
public sealed class HierarchyMigrationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private string StorePath => _temp.File("meter.duckdb");

    [Fact]
    public void OpeningAStoreOfVersion2_RewritesItsHierarchyColumnsThroughTheDefaultTagPolicy()
    {
        // Given a store whose hierarchy columns hold what the old normaliser wrote (raw values, no camelCase split,
        // prefixes cut at the last colon), as a version-2 store does.
        var csv = new FocusCsv()
            .Row(("EffectiveCost", "1"), ("Tags", """{"user:Team":" Search ","Stage":"Prod","CostCenter":"cc-7"}"""))
            .Row(("EffectiveCost", "2"), ("Tags", """{"squad":"vision","aws:cloudformation:stack-name":"ml"}"""))
            .Row(("EffectiveCost", "3"), ("Tags", ""));
        using (var store = DuckDbCostStore.Open(StorePath, _clock))
        {
            var path = csv.WriteTo(_temp.File("focus.csv"));
            using var session = store.BeginLineItemImport(ImportKind.Focus);
            var report = FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
            session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
        }

        Execute("UPDATE line_items SET tag_team = 'Search', tag_environment = NULL, tag_cost_center = NULL WHERE EffectiveCost = 1",
            "UPDATE line_items SET tag_team = 'stale' WHERE EffectiveCost = 2",
            // Back to version 2: later steps undone too, so opening runs them again.
            "DELETE FROM schema_version WHERE version >= 3",
            "ALTER TABLE imports DROP COLUMN mapping",
            "DROP TABLE alert_deliveries",
            "DROP TABLE budget_periods",
            "DROP TABLE usage_batches",
            "DROP TABLE runs", "DROP TABLE run_params", "DROP TABLE run_tags", "DROP TABLE run_metrics", "DROP TABLE llm_calls",
            "DROP TABLE business_metrics", "DROP TABLE estimates", "ALTER TABLE usage_samples DROP COLUMN sample_start", "DROP TABLE idle_policy",
            "DROP TABLE recommendation_findings", "DROP TABLE recommendation_actions");

        // When it is opened by this version.
        DuckDbCostStore.Open(StorePath, _clock).Dispose();

        // Then each line item's columns (cost_center, team, product, model, environment, experiment) are what the
        // default tag policy reads from its tag set: squad is no alias of team without a config.
        Hierarchy().ShouldBe(
        [
            ["cc-7", "search", null, null, "prod", null],
            [null, null, null, null, null, null],
            [null, null, null, null, null, null],
        ]);
    }

    private void Execute(params string[] statements)
    {
        using var connection = new DuckDBConnection($"Data Source={StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        foreach (var statement in statements)
        {
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }

    private List<string?[]> Hierarchy()
    {
        using var connection = new DuckDBConnection($"Data Source={StorePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", CostHierarchy.Keys.Select(CostHierarchy.ColumnFor))} FROM line_items ORDER BY EffectiveCost";
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i)).ToArray());
        }

        return rows;
    }
}
