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
        // Given a version-2 store whose hierarchy columns hold what the old normaliser wrote (raw values, no camelCase
        // split, prefixes cut at the last colon) beside the tag sets they were read from.
        using (var connection = new DuckDBConnection($"Data Source={StorePath}"))
        {
            connection.Open();
            Migrations.Apply(connection, _clock.GetUtcNow().UtcDateTime, target: 2);
        }

        Execute(
            "INSERT INTO imports VALUES (1, 'focus', now(), 3, 0, [], NULL)",
            "INSERT INTO tag_sets VALUES (1, ['user:Team', 'Stage', 'CostCenter'], [' Search ', 'Prod', 'cc-7']), (2, ['squad', 'aws:cloudformation:stack-name'], ['vision', 'ml'])",
            "INSERT INTO line_items (import_id, EffectiveCost, tag_set_id, tag_team) VALUES (1, 1, 1, 'Search'), (1, 2, 2, 'stale'), (1, 3, 0, NULL)");

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
