using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Core.Errors;
using ModelMeter.Store.DuckDb;
using ModelMeter.Tests.Support;

namespace ModelMeter.Store.Tests.DuckDb;

/// <summary>The DuckDB schema: frozen migrations, stores of every version brought to the same schema, kinds stored as text.</summary>
public sealed class MigrationTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 20, 9, 30, 0, DateTimeKind.Utc);

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(Now));

    public void Dispose() => _temp.Dispose();

    // Stores in the field ran these exact statements. If this test fails, you edited a migration: undo that and append
    // a new step to Migrations.Steps instead (ALTER TABLE ...), then add its checksum here. Never change a line below.
    public static TheoryData<int, string> FrozenSteps => new()
    {
        { 1, "5ba8032cc3757c095d316d2b996da0edf646f89f8b05757b3013ce031a2c6dcf" },
        { 2, "c6cef3ac9ca0bde66d22676c6c74e26a886c7b9ae3342569c598b68e55250d7b" },
        { 3, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" }, // no SQL: a data step (hierarchy columns recomputed)
        { 4, "1c45302b4e1b465d2363aff5fd08920904c759912ffff4324020485e9c409a13" },
        { 5, "33f2dc2df09225a46d5a2d6140b39fc43eb8d4bc4977ead9c8ea9c3efc96134f" }, // alert_deliveries, budget_periods
        { 6, "c146750c06b4bdc462d212e9eb96b029983352e03cf6c9306e53f852fbbf232a" },
        { 7, "0c8b257bb6caaa3298a0a3b5e015e061faaa3df49fd08f5ebb93282019c85e2d" }, // the ML sources: runs, hourly usage, LLM calls, business metrics, estimates
        { 8, "f54af82a4daa949aec998818776856ac1d1d07c21a0a8e5d5e66ec4cdb845a2e" }, // the recommendations' idle policy
        { 9, "341df1b564cd253f0186362ce6f68575784c88617f1e387e0d17ac62eccbfa4a" }, // the recommendations' history and --exec's action runs
        { 10, "fe8aaa796208b571cc66a224be7c01fccf115712e2dec99f0163b2f0a887749e" }, // line items as facts and descriptors behind the line_items view
        { 11, "bad97929cc7ed1a06f211b1cfeda848ccdc688c52f62cf93a5def1778488c794" }, // descriptors split: resource and charge, and their contexts
        { 12, "6729277da9ab8a07765bef4a170403ce94a30db7f0ac6801d2652c6337dbb57c" }, // tag sets' keys once per distinct list, behind the tag_sets view
    };

    [Theory]
    [MemberData(nameof(FrozenSteps))]
    public void MigrationStep_RunsTheSqlItShippedWith(int version, string sha256)
    {
        // Line endings are normalised so a checkout with CRLF does not count as an edit.
        var text = string.Join("\n;\n", Migrations.Steps[version - 1].Select(s => s.Replace("\r\n", "\n", StringComparison.Ordinal)));

        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ShouldBe(sha256);
    }

    [Fact]
    public void EveryMigrationStep_HasAFrozenChecksum()
    {
        FrozenSteps.Count.ShouldBe(Migrations.Latest, "a new migration step needs its checksum in FrozenSteps");
    }

    [Fact]
    public void StoreCreatedByMigration1_OpenedByThisVersion_HasTheSchemaOfAFreshStore()
    {
        var old = _temp.File("v1.duckdb");
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            Migrations.Apply(connection, Now, target: 1);
            Versions(connection).ShouldBe([1]);
        }

        using var migrated = DuckDbCostStore.Open(old, _clock);
        using var fresh = DuckDbCostStore.Open(_temp.File("fresh.duckdb"), _clock);

        Versions(migrated.Connection).ShouldBe(Enumerable.Range(1, Migrations.Latest));
        var schema = Schema(migrated.Connection);
        schema.ShouldBe(Schema(fresh.Connection));
        schema.ShouldContain(c => c.StartsWith("usage_samples|", StringComparison.Ordinal)); // what migration 2 added
    }

    [Fact]
    public void MigratedStore_HasTheTablesAndLineItemColumnsThisVersionWrites()
    {
        using var store = DuckDbCostStore.Open(_temp.File("meter.duckdb"), _clock);
        using var live = new DuckDBConnection("DataSource=:memory:");
        live.Open();
        foreach (var statement in LineItemsTable.CreateSql())
        {
            Execute(live, statement);
        }

        // The bulk writer fills LineItemsTable.FactColumns, DescriptorColumns and ContextColumns in order, and queries
        // read the view's LineItemsTable.Columns: the migrations must have built exactly those.
        string[] names = [LineItemsTable.FactsTable, LineItemsTable.DescriptorsTable, LineItemsTable.ContextsTable, LineItemsTable.Name];
        var stored = Columns(store.Connection).Where(c => names.Contains(c.Split('|')[0])).ToList();
        stored.ShouldBe(Columns(live));
        stored.Count(c => c.StartsWith(LineItemsTable.Name + "|", StringComparison.Ordinal)).ShouldBe(LineItemsTable.Columns.Count);
        stored.Count(c => c.StartsWith(LineItemsTable.FactsTable + "|", StringComparison.Ordinal)).ShouldBe(LineItemsTable.FactColumns.Count);
        stored.Count(c => c.StartsWith(LineItemsTable.DescriptorsTable + "|", StringComparison.Ordinal)).ShouldBe(LineItemsTable.DescriptorColumns.Count);
        stored.Count(c => c.StartsWith(LineItemsTable.ContextsTable + "|", StringComparison.Ordinal)).ShouldBe(LineItemsTable.ContextColumns.Count);
        var tables = Columns(store.Connection).Select(c => c.Split('|')[0]).ToHashSet();
        new[] { LineItemsTable.Name, TagSets.Table, UsageSamplesTable.Name, "imports", "import_files", "import_totals", "exchange_rates", "alert_deliveries", "budget_periods" }.ShouldBeSubsetOf(tables);
    }

    [Fact]
    public void LineItemsOfAVersion9Store_ReadTheSameThroughTheViewOfVersion10_EachDescriptionStoredOncePerImport()
    {
        // Given a version-9 store: two imports, hours of one resource described alike, an empty text unlike a missing
        // one, lists and tags, and a description two imports share.
        var old = _temp.File("v9.duckdb");
        const string Columns = "import_id, ResourceId, ServiceName, ChargePeriodStart, BilledCost, x_Keys, x_Values, tag_set_id, tag_team, BillingPeriodStart";
        string[] rows =
        [
            "(1, 'gpu-1', 'EC2', TIMESTAMP '2026-10-01 00:00:00', 1.5, ['x_Job'], ['a'], 1, 'search', TIMESTAMP '2026-10-01 00:00:00')",
            "(1, 'gpu-1', 'EC2', TIMESTAMP '2026-10-01 01:00:00', 2.25, ['x_Job'], ['a'], 1, 'search', TIMESTAMP '2026-10-01 00:00:00')",
            "(1, 'gpu-1', '', TIMESTAMP '2026-10-01 02:00:00', 3, ['x_Job'], ['a'], 1, 'search', TIMESTAMP '2026-10-01 00:00:00')",
            "(1, 'gpu-1', NULL, TIMESTAMP '2026-10-01 03:00:00', 4, ['x_Job'], [NULL], 1, 'search', TIMESTAMP '2026-10-01 00:00:00')",
            "(1, NULL, NULL, NULL, NULL, [], [], 0, NULL, NULL)",
            "(2, 'gpu-1', 'EC2', TIMESTAMP '2026-11-01 00:00:00', 5.000000000000000001, ['x_Job'], ['a'], 1, 'search', TIMESTAMP '2026-10-01 00:00:00')",
        ];
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            Migrations.Apply(connection, Now, target: 9);
            Execute(connection, "INSERT INTO tag_sets VALUES (1, ['team'], ['search'])");
            Execute(connection, "INSERT INTO imports VALUES (1, 'focus', now(), 5, 0, [], NULL, NULL), (2, 'focus', now(), 1, 0, [], NULL, NULL)");
            Execute(connection, $"INSERT INTO line_items ({Columns}) VALUES {string.Join(", ", rows)}");
        }

        List<string> expected;
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            expected = Lines(connection, $"SELECT {Columns} FROM line_items");
        }

        expected.Count.ShouldBe(rows.Length);

        // When this version opens it.
        using var store = DuckDbCostStore.Open(old, _clock);

        // Then the view gives back every row as it was, and each import's distinct descriptions are stored once.
        Lines(store.Connection, $"SELECT {Columns} FROM {LineItemsTable.Name}").ShouldBe(expected);
        Strings(store.Connection, $"SELECT import_id || ':' || count(*) FROM {LineItemsTable.DescriptorsTable} GROUP BY import_id ORDER BY import_id")
            .ShouldBe(["1:4", "2:1"]);
        Strings(store.Connection, $"SELECT count(*)::VARCHAR FROM {LineItemsTable.FactsTable}").ShouldBe(["6"]);
        Strings(store.Connection, "SELECT table_name FROM duckdb_tables() WHERE table_name = 'line_items_v9'").ShouldBeEmpty();
    }

    /// <summary>Each row's values as one text, ordered, so two stores' rows compare as lists.</summary>
    [Fact]
    public void LineItemsOfAVersion10Store_ReadTheSameThroughTheViewOfVersion11_EachDescriptorGivenAContext()
    {
        // Given a version-10 store: one import's three descriptors (two hours of one, a resource and a tag set on the
        // others) and another import's descriptor of a different account.
        var old = _temp.File("v10.duckdb");
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            Migrations.Apply(connection, Now, target: 10);
            Execute(connection, "INSERT INTO tag_sets VALUES (1, ['team'], ['search'])");
            Execute(connection, "INSERT INTO imports VALUES (1, 'focus', now(), 4, 0, [], NULL, NULL), (2, 'focus', now(), 1, 0, [], NULL, NULL)");
            Execute(connection,
                "INSERT INTO line_item_descriptors (descriptor_id, import_id, BillingAccountId, ServiceName, ResourceId, ResourceName, ChargeDescription, tag_set_id, x_Keys, x_Values, tag_team, BillingPeriodStart) VALUES " +
                "(1, 1, 'a1', 'EC2', 'gpu-1', 'gpu one', 'GPU hours', 1, ['x_Job'], ['a'], 'search', TIMESTAMP '2026-10-01 00:00:00'), " +
                "(2, 1, 'a1', 'EC2', 'gpu-2', NULL, '', 0, [], [], NULL, TIMESTAMP '2026-10-01 00:00:00'), " +
                "(3, 1, 'a1', NULL, NULL, NULL, NULL, 0, [], [], NULL, NULL), " +
                "(4, 2, 'a2', 'S3', 'bucket', 'logs', 'Storage', 1, ['x_Job'], [NULL], 'search', TIMESTAMP '2026-11-01 00:00:00')");
            Execute(connection,
                "INSERT INTO line_item_facts (import_id, descriptor_id, ChargePeriodStart, BilledCost) VALUES " +
                "(1, 1, TIMESTAMP '2026-10-01 00:00:00', 1.5), (1, 1, TIMESTAMP '2026-10-01 01:00:00', 2.25), (1, 2, NULL, 3), (1, 3, NULL, NULL), " +
                "(2, 4, TIMESTAMP '2026-11-01 00:00:00', 5.000000000000000001)");
        }

        List<string> expected;
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            expected = Lines(connection, "SELECT * FROM line_items");
        }

        expected.Count.ShouldBe(5);

        // When this version opens it.
        using var store = DuckDbCostStore.Open(old, _clock);

        // Then the view gives back every row and column as it was, each descriptor with a context of its own import.
        Lines(store.Connection, $"SELECT * FROM {LineItemsTable.Name}").ShouldBe(expected);
        Strings(store.Connection,
                $"SELECT d.descriptor_id || ':' || c.import_id || ':' || coalesce(c.BillingAccountId, '-') || ':' || coalesce(d.ResourceId, '-') FROM {LineItemsTable.DescriptorsTable} AS d JOIN {LineItemsTable.ContextsTable} AS c USING (context_id) ORDER BY 1")
            .ShouldBe(["1:1:a1:gpu-1", "2:1:a1:gpu-2", "3:1:a1:-", "4:2:a2:bucket"]);
        Strings(store.Connection, "SELECT table_name FROM duckdb_tables() WHERE table_name = 'line_item_descriptors_v10'").ShouldBeEmpty();
    }

    [Fact]
    public void TagSetsOfAVersion11Store_ReadTheSameThroughTheViewOfVersion12_EachListOfKeysStoredOnce()
    {
        // Given a version-11 store whose tag sets share two lists of keys (one with a null value)
        var old = _temp.File("v11.duckdb");
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            Migrations.Apply(connection, Now, target: 11);
            Execute(connection,
                "INSERT INTO tag_sets VALUES (1, ['team', 'job'], ['search', 'j-1']), (2, ['team', 'job'], ['search', 'j-2']), " +
                "(3, ['team'], ['vision']), (4, ['team', 'job'], ['nlp', NULL])");
        }

        List<string> expected;
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            expected = Lines(connection, "SELECT * FROM tag_sets");
        }

        expected.Count.ShouldBe(5); // with the empty set, 0

        // When this version opens it
        using var store = DuckDbCostStore.Open(old, _clock);

        // Then every set reads as it was, each list of keys stored once, the empty one first
        Lines(store.Connection, $"SELECT * FROM {TagSets.Table}").ShouldBe(expected);
        Strings(store.Connection, $"SELECT keys_id || ' ' || tag_keys::VARCHAR FROM {TagSets.KeyListsTable} ORDER BY keys_id")
            .ShouldBe(["0 []", "1 [team, job]", "2 [team]"]);
        Strings(store.Connection, "SELECT table_type FROM information_schema.tables WHERE table_name = 'tag_sets'").ShouldBe(["VIEW"]);
    }

    [Fact]
    public void AnImportsTagSets_ShareTheirListOfKeys_AndANewListIsAddedOnce()
    {
        // Given a store with one import of two tag sets with the same keys
        var path = _temp.File("keys.duckdb");
        using var store = DuckDbCostStore.Open(path, _clock);
        ImportTags(store, "{\"team\":\"nlp\",\"job\":\"a\"}", "{\"team\":\"nlp\",\"job\":\"b\"}");

        // When a second import brings the same keys again and a new list of keys twice
        ImportTags(store, "{\"team\":\"cv\",\"job\":\"c\"}", "{\"owner\":\"x\"}", "{\"owner\":\"y\"}");

        // Then the five sets name two lists of keys besides the empty one, and read back whole
        Strings(store.Connection, $"SELECT tag_keys::VARCHAR FROM {TagSets.KeyListsTable} ORDER BY keys_id").ShouldBe(["[]", "[team, job]", "[owner]"]);
        Strings(store.Connection, $"SELECT tag_keys::VARCHAR || '=' || tag_values::VARCHAR FROM {TagSets.Table} WHERE tag_set_id > 0 ORDER BY tag_set_id")
            .ShouldBe(["[team, job]=[nlp, a]", "[team, job]=[nlp, b]", "[team, job]=[cv, c]", "[owner]=[x]", "[owner]=[y]"]);
    }

    private void ImportTags(DuckDbCostStore store, params string[] tags)
    {
        var csv = new FocusCsv();
        for (var i = 0; i < tags.Length; i++)
        {
            csv.Row(("ResourceId", $"r-{i}"), ("Tags", tags[i]));
        }

        var file = csv.WriteTo(_temp.File($"tags-{Guid.NewGuid():N}.csv"));
        using var session = store.BeginLineItemImport(ImportKind.Focus);
        var report = ModelMeter.Import.Focus.FocusImporter.Read(ModelMeter.Import.Focus.FocusImporter.Inspect([file]), session, skipBadRows: false);
        session.Commit(report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows)).ToList(), report.BilledTotals);
    }

    private static List<string> Lines(DuckDBConnection connection, string sql) =>
        Strings(connection, $"SELECT CAST(r AS VARCHAR) AS line FROM ({sql}) AS r ORDER BY line");

    [Fact]
    public void Open_RecordsEachSchemaVersion_Once_InOrder()
    {
        var path = _temp.File("meter.duckdb");
        DuckDbCostStore.Open(path, _clock).Dispose();
        _clock.Advance(TimeSpan.FromDays(1));

        using var reopened = DuckDbCostStore.Open(path, _clock);

        using var command = reopened.Connection.CreateCommand();
        command.CommandText = "SELECT version, applied_at FROM schema_version ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt32(0));
            reader.GetDateTime(1).ShouldBe(Now); // applied by the first open, not again by the second
        }

        versions.ShouldBe(Enumerable.Range(1, Migrations.Latest));
    }

    [Fact]
    public void Open_RefusesAStoreNewerThanThisProgram()
    {
        var path = _temp.File("meter.duckdb");
        using (var store = DuckDbCostStore.Open(path, _clock))
        {
            Execute(store.Connection, "INSERT INTO schema_version VALUES (99, now())");
        }

        Should.Throw<UserInputException>(() => DuckDbCostStore.Open(path, _clock)).Message.ShouldContain("schema version 99");
    }

    [Fact]
    public void ImportKinds_AreStoredAsTheLowerCaseTextsEarlierVersionsWrote()
    {
        using var store = DuckDbCostStore.Open(_temp.File("meter.duckdb"), _clock);
        using (var session = store.BeginLineItemImport(ImportKind.Focus))
        {
            session.Commit([], new Dictionary<string, decimal>());
        }

        using (var session = store.BeginUsageImport())
        {
            session.Commit(new ImportedFile("usage.csv", "u", 1, 0));
        }

        store.ImportExchangeRates([], new ImportedFile("rates.csv", "r", 1, 0));

        Strings(store.Connection, "SELECT kind FROM imports ORDER BY import_id").ShouldBe(["focus", "usage", "rates"]);
    }

    [Fact]
    public void ImportsMadeBeforeMigration4_HaveNoMapping()
    {
        var old = _temp.File("v3.duckdb");
        using (var connection = new DuckDBConnection($"DataSource={old}"))
        {
            connection.Open();
            Migrations.Apply(connection, Now, target: 3);
            Execute(connection, "INSERT INTO imports VALUES (1, 'focus', now(), 0, 0, [], NULL)");
        }

        using var store = DuckDbCostStore.Open(old, _clock);

        store.ListImports().ShouldHaveSingleItem().Mapping.ShouldBeNull();
    }

    [Fact]
    public void ImportsWrittenAsText_AreReadAsTheirKind()
    {
        using var store = DuckDbCostStore.Open(_temp.File("meter.duckdb"), _clock);
        Execute(store.Connection, "INSERT INTO imports (import_id, kind, imported_at, row_count, replaced_rows, billing_periods, superseded_by) VALUES (1, 'focus', now(), 0, 0, [], NULL), (2, 'usage', now(), 0, 0, [], NULL), (3, 'rates', now(), 0, 0, [], NULL)");

        store.ListImports().Select(i => i.Kind).ShouldBe([ImportKind.Focus, ImportKind.Usage, ImportKind.Rates]);
    }

    [Fact]
    public void AnImportOfAKindThisVersionDoesNotKnow_IsRefused_NamingItAndTheStore()
    {
        var path = _temp.File("meter.duckdb");
        using var store = DuckDbCostStore.Open(path, _clock);
        Execute(store.Connection, "INSERT INTO imports (import_id, kind, imported_at, row_count, replaced_rows, billing_periods, superseded_by) VALUES (7, 'oracle-cost', now(), 0, 0, [], NULL)");

        var error = Should.Throw<UserInputException>(() => store.ListImports());

        error.Message.ShouldContain("'oracle-cost'");
        error.Message.ShouldContain("#7");
        error.Message.ShouldContain(path);
    }

    /// <summary>Every column of every table ("table|position|name|type|nullable|default"), the sequences and the seeded tag sets.</summary>
    private static List<string> Schema(DuckDBConnection connection) => Columns(connection)
        .Concat(Strings(connection, "SELECT 'sequence ' || sequence_name || ' ' || start_value FROM duckdb_sequences() WHERE database_name = current_database()"))
        .Concat(Strings(connection, "SELECT 'tag set ' || tag_set_id || ' ' || tag_keys::VARCHAR || ' ' || tag_values::VARCHAR FROM tag_sets ORDER BY 1"))
        .ToList();

    private static List<string> Columns(DuckDBConnection connection) => Strings(connection,
        "SELECT table_name || '|' || column_index || '|' || column_name || '|' || data_type || '|' || is_nullable || '|' || coalesce(column_default, '') " +
        "FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index");

    private static List<int> Versions(DuckDBConnection connection) =>
        Strings(connection, "SELECT version::VARCHAR FROM schema_version ORDER BY version").Select(int.Parse).ToList();

    private static List<string> Strings(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
