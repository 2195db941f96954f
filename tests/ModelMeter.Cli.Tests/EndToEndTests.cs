using System.Text.Json;
using ModelMeter.Cli.Infrastructure;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>The CLI end to end: demo, import, report and imports on a temporary store.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Demo_ThenReportByTeamAsJson_TotalsEqualAnIndependentSumOfTheGeneratedFiles()
    {
        var demo = await _cli.Run("demo", "--month", "2026-10");
        demo.ExitCode.ShouldBe(0, demo.ToString());

        // Independently of the importer: sum EffectiveCost per team straight from the generated CSV.
        var records = SimpleCsv.Parse(File.ReadAllText(Path.Combine(_cli.WorkingDirectory, ".modelmeter", "demo", "focus-2026-10.csv")));
        var header = records[0].ToList();
        var cost = header.IndexOf("EffectiveCost");
        var currency = header.IndexOf("BillingCurrency");
        var tags = header.IndexOf("Tags");
        var expectedByTeam = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var expectedTotal = 0m;
        foreach (var record in records.Skip(1))
        {
            record.Length.ShouldBe(header.Count);
            record[currency].ShouldBe("USD");
            var amount = SimpleCsv.Decimal(record[cost]);
            expectedTotal += amount;
            var team = "(untagged)";
            if (record[tags].Length > 0)
            {
                using var json = JsonDocument.Parse(record[tags]);
                if (json.RootElement.TryGetProperty("team", out var value))
                {
                    team = value.GetString()!;
                }
            }

            expectedByTeam[team] = expectedByTeam.GetValueOrDefault(team) + amount;
        }

        // And the month's costs outside the cloud bill the demo imports beside it (one line per cost, a team column).
        var costs = SimpleCsv.Parse(File.ReadAllText(Path.Combine(_cli.WorkingDirectory, ".modelmeter", "demo", "costs-2026-10.csv")));
        var costHeader = costs[0].ToList();
        foreach (var record in costs.Skip(1))
        {
            record[costHeader.IndexOf("currency")].ShouldBe("USD");
            var amount = SimpleCsv.Decimal(record[costHeader.IndexOf("amount")]);
            var team = record[costHeader.IndexOf("team")];
            expectedTotal += amount;
            expectedByTeam[team] = expectedByTeam.GetValueOrDefault(team) + amount;
        }

        // The month only: the demo also imports months of daily history before it.
        var report = await _cli.Run("report", "--by", "tag:team", "--month", "2026-10", "--format", "json");

        report.ExitCode.ShouldBe(0, report.ToString());
        var root = report.Json();
        root.GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(expectedTotal);
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        rows.ToDictionary(r => r.GetProperty("tag:team").GetString()!, r => r.GetProperty("cost").GetDecimal())
            .ShouldBe(expectedByTeam, ignoreOrder: true);
        rows.Sum(r => r.GetProperty("cost").GetDecimal()).ShouldBe(expectedTotal);
        expectedByTeam.ShouldContainKey("(untagged)");
        root.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()).ShouldBe(["tag:team"]);
        root.GetProperty("cost").GetString().ShouldBe("EffectiveCost");
    }

    [Fact]
    public async Task Demo_WithoutMonth_GeneratesLastMonthOnTheInjectedClock_Deterministically()
    {
        var first = await _cli.Run("demo", "--generate-only", "--out", "a.csv", "--seed", "7");
        var second = await _cli.Run("demo", "--generate-only", "--out", "b.csv", "--seed", "7");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Out.ShouldContain("October 2026");
        File.ReadAllBytes(_cli.Temp.File("a.csv")).ShouldBe(File.ReadAllBytes(_cli.Temp.File("b.csv")));
        second.ExitCode.ShouldBe(0);
        // --generate-only with --out only writes the file: it neither creates nor touches a store.
        File.Exists(_cli.StorePath).ShouldBeFalse();
    }

    [Fact]
    public async Task ImportFocus_GoodFile_IsImported_AndReportedByTeam()
    {
        var file = _cli.Write(Fixtures.Teams(), "oct.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("Imported 4 rows as import #1");
        import.Out.ShouldContain("FOCUS conformance report");
        var report = (await _cli.Run("report", "--by", "tag:team", "--format", "json")).Json();
        report.GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(100m);
    }

    [Fact]
    public async Task ImportFocus_SameFileTwice_SaysAlreadyImported_AndAddsNothing()
    {
        var file = _cli.Write(Fixtures.Teams(), "oct.csv");
        (await _cli.Run("import", "focus", file)).ExitCode.ShouldBe(0);
        var before = await _cli.StoreSnapshot();
        File.Copy(_cli.Temp.File(file), _cli.Temp.File("renamed-copy.csv"));

        var again = await _cli.Run("import", "focus", file);
        var copy = await _cli.Run("import", "focus", "renamed-copy.csv");

        again.ExitCode.ShouldBe(0, again.ToString());
        again.Out.ShouldContain("Already imported");
        again.Out.ShouldContain("import #1");
        copy.Out.ShouldContain("Already imported");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_RestatedBill_ReplacesThePeriod_AndImportsShowsWhichImportReplacedIt()
    {
        (await _cli.Run("import", "focus", _cli.Write(Fixtures.Teams(), "oct-v1.csv"))).ExitCode.ShouldBe(0);

        var restated = await _cli.Run("import", "focus", _cli.Write(new FocusCsv().Row(("EffectiveCost", "42"), ("BilledCost", "42")), "oct-v2.csv"));

        restated.ExitCode.ShouldBe(0, restated.ToString());
        restated.Out.ShouldContain("replaced 4 rows");
        (await _cli.Run("report", "--format", "json")).Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(42m);
        var imports = await _cli.Run("imports");
        imports.Out.ShouldContain("replaced by #2");
    }

    [Fact]
    public async Task ImportFocus_DryRun_ValidatesAndReports_WithoutCreatingTheStore()
    {
        var file = _cli.Write(Fixtures.Teams(), "oct.csv");

        var dry = await _cli.Run("import", "focus", file, "--dry-run");

        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Out.ShouldContain("Dry run:");
        dry.Out.ShouldContain("4 valid rows; nothing was written");
        dry.Out.ShouldContain("FOCUS 1.0");
        dry.Out.ShouldContain("2026-10-01..2026-11-01");
        File.Exists(_cli.StorePath).ShouldBeFalse();
    }

    [Fact]
    public async Task ImportFocus_DryRun_ConformanceReport_NamesIgnoredAndCustomColumns()
    {
        var file = _cli.Write(new FocusCsv().WithColumn("x_Operation").WithColumn("lineItem/UsageType").Row(), "cur.csv");

        var dry = await _cli.Run("import", "focus", file, "--dry-run");

        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Out.ShouldContain("kept 1 x_ columns");
        dry.Out.ShouldContain("ignored non-FOCUS columns: lineItem/UsageType");
    }

    [Fact]
    public async Task ImportFocus_DryRun_OnAnExistingStore_ChangesNothing()
    {
        (await _cli.Run("import", "focus", _cli.Write(Fixtures.Teams(), "oct.csv"))).ExitCode.ShouldBe(0);
        var before = await _cli.StoreSnapshot();

        var dry = await _cli.Run("import", "focus", _cli.Write(new FocusCsv().Row(("EffectiveCost", "999")), "restated.csv"), "--dry-run", "--format", "json");

        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Json().GetProperty("outcome").GetString().ShouldBe("dry_run");
        dry.Json().GetProperty("totals").GetProperty("USD").GetProperty("effective_cost").GetDecimal().ShouldBe(999m);
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_DryRun_OfABadFile_FailsWithTheProblems()
    {
        var file = _cli.Write(new FocusCsv().Row().Row(("BilledCost", "ten")), "bad.csv");

        var dry = await _cli.Run("import", "focus", file, "--dry-run");

        dry.ExitCode.ShouldBe(2, dry.ToString());
        dry.Err.ShouldContain("bad.csv: line 3, column 15 (BilledCost): 'ten' is not a number");
        File.Exists(_cli.StorePath).ShouldBeFalse();
    }

    [Fact]
    public async Task ImportFocus_SkipBadRows_ImportsTheRest_AndWritesARejectsCsv()
    {
        var csv = new FocusCsv()
            .Row(("EffectiveCost", "10"), ("ResourceId", "good-1"))
            .Row(("EffectiveCost", "oops"), ("ResourceId", "bad, \"quoted\""))
            .Row(("EffectiveCost", "5"), ("ResourceId", "good-2"));
        var file = _cli.Write(csv, "partly.csv");

        var import = await _cli.Run("import", "focus", file, "--skip-bad-rows");

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("1 rows refused");
        import.Err.ShouldContain("partly.csv: line 3, column 16 (EffectiveCost): 'oops' is not a number");
        (await _cli.Run("report", "--format", "json")).Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(15m);
        var rejectsPath = _cli.Temp.File("partly.csv.rejects.csv");
        File.Exists(rejectsPath).ShouldBeTrue();
        var rejects = SimpleCsv.Parse(File.ReadAllText(rejectsPath));
        rejects[0].ShouldBe(new[] { "x_SourceFile", "x_SourceLine", "x_RejectReasons" }.Concat(csv.Columns).ToArray());
        rejects.Count.ShouldBe(2);
        rejects[1][0].ShouldEndWith("partly.csv");
        rejects[1][1].ShouldBe("3");
        rejects[1][2].ShouldContain("not a number");
        rejects[1][3 + csv.ColumnNumber("ResourceId") - 1].ShouldBe("bad, \"quoted\"");
        rejects[1][3 + csv.ColumnNumber("EffectiveCost") - 1].ShouldBe("oops");
    }

    [Fact]
    public async Task ImportFocus_SkipBadRows_InSeveralFiles_WritesOneRejectsCsvPerFile_WithItsOwnHeader()
    {
        Directory.CreateDirectory(_cli.Temp.File("parts"));
        _cli.Write(new FocusCsv().Row(("EffectiveCost", "1")).Row(("EffectiveCost", "bad-a")), "parts/a.csv");
        _cli.Write(new FocusCsv().WithColumn("x_Team").Row(("EffectiveCost", "2"), ("x_Team", "nlp")).Row(("EffectiveCost", "bad-b"), ("x_Team", "cv")), "parts/b.csv");

        var import = await _cli.Run("import", "focus", "parts", "--skip-bad-rows");

        import.ExitCode.ShouldBe(0, import.ToString());
        var a = SimpleCsv.Parse(File.ReadAllText(_cli.Temp.File("a.csv.rejects.csv")));
        var b = SimpleCsv.Parse(File.ReadAllText(_cli.Temp.File("b.csv.rejects.csv")));
        a.Count.ShouldBe(2);
        b.Count.ShouldBe(2);
        a[0].ShouldNotContain("x_Team");
        b[0].ShouldContain("x_Team");
        b[1][Array.IndexOf(b[0], "x_Team")].ShouldBe("cv");
        b[1][Array.IndexOf(b[0], "EffectiveCost")].ShouldBe("bad-b");
    }

    [Fact]
    public async Task ImportFocus_Interrupted_Exits130_AndWritesNothing()
    {
        var file = _cli.Write(new FocusCsv().Rows(40_000, ("EffectiveCost", "1")), "big.csv");
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        using var output = new Spectre.Console.Testing.TestConsole();
        using var error = new Spectre.Console.Testing.TestConsole();

        var code = await ModelMeterApp.RunAsync(["import", "focus", file], new CliContext(output, error, _cli.Clock, _cli.WorkingDirectory, false), interrupt.Token);

        code.ShouldBe(130, error.Output);
        error.Output.ShouldContain("cancelled");
        (await _cli.Run("imports", "--format", "json")).Json().GetProperty("imports").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task ImportFocus_SkipBadRows_WhenEveryRowIsBad_IsRefused()
    {
        var file = _cli.Write(new FocusCsv().Row(("BilledCost", "x")), "allbad.csv");

        var import = await _cli.Run("import", "focus", file, "--skip-bad-rows");

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("allbad.csv: line 2");
        // There was no store before, and a refused import leaves none behind.
        File.Exists(_cli.StorePath).ShouldBeFalse();
        File.Exists(_cli.StorePath + ".wal").ShouldBeFalse();
    }

    [Fact]
    public async Task ImportFocus_HeaderOnlyFile_IsRefused_SayingThereAreNoLineItems()
    {
        var file = _cli.Write(new FocusCsv(), "header-only.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("no line items");
    }

    [Fact]
    public async Task ImportFocus_Folder_ImportsEveryPartTogether_CsvGzAndCsv()
    {
        var folder = _cli.Temp.File("export");
        Directory.CreateDirectory(folder);
        new FocusCsv().Row(("EffectiveCost", "1.5"), ("BillingAccountId", "a1")).WriteTo(Path.Combine(folder, "part-1.csv"));
        new FocusCsv().Row(("EffectiveCost", "2.25"), ("BillingAccountId", "a2")).WriteGzipTo(Path.Combine(folder, "part-2.csv.gz"));

        var import = await _cli.Run("import", "focus", "export", "--format", "json");

        import.ExitCode.ShouldBe(0, import.ToString());
        var json = import.Json();
        json.GetProperty("outcome").GetString().ShouldBe("imported");
        json.GetProperty("files").GetArrayLength().ShouldBe(2);
        (await _cli.Run("report", "--format", "json")).Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(3.75m);
        var imports = (await _cli.Run("imports", "--format", "json")).Json().GetProperty("imports");
        imports.GetArrayLength().ShouldBe(1);
        imports[0].GetProperty("files").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Demo_RunTwice_ImportsTheMonthOnce()
    {
        (await _cli.Run("demo", "--month", "2026-10")).ExitCode.ShouldBe(0);
        var before = await _cli.StoreSnapshot();

        var again = await _cli.Run("demo", "--month", "2026-10");

        again.ExitCode.ShouldBe(0, again.ToString());
        again.Out.ShouldContain("already imported");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_Parquet_IsImportedLikeCsv()
    {
        var path = _cli.Temp.File("focus.parquet");
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $$"""
                COPY (SELECT 'acct-1' AS BillingAccountId, 'Acme' AS BillingAccountName,
                             TIMESTAMP '2026-10-01 00:00:00' AS BillingPeriodStart, TIMESTAMP '2026-11-01 00:00:00' AS BillingPeriodEnd,
                             TIMESTAMP '2026-10-01 00:00:00' + INTERVAL (i) HOUR AS ChargePeriodStart,
                             TIMESTAMP '2026-10-01 01:00:00' + INTERVAL (i) HOUR AS ChargePeriodEnd,
                             'AWS' AS ProviderName, 'AWS' AS PublisherName, 'AWS' AS InvoiceIssuerName, 'Amazon EC2' AS ServiceName,
                             'Compute' AS ServiceCategory, CASE WHEN i = 2 THEN 'Credit' ELSE 'Usage' END AS ChargeCategory, NULL AS ChargeClass,
                             'GPU hour' AS ChargeDescription,
                             CASE WHEN i = 2 THEN -0.5 ELSE 1.25 END::DECIMAL(18,6) AS BilledCost, CASE WHEN i = 2 THEN -0.5 ELSE 1.25 END::DECIMAL(18,6) AS EffectiveCost,
                             1.25::DECIMAL(18,6) AS ListCost, 1.25::DECIMAL(18,6) AS ContractedCost, 'USD' AS BillingCurrency,
                             1::DECIMAL(18,6) AS PricingQuantity, 'Hours' AS PricingUnit,
                             MAP {'team': CASE WHEN i = 0 THEN 'nlp' ELSE 'vision' END} AS Tags
                      FROM range(0, 3) AS r(i))
                TO '{{path.Replace("'", "''", StringComparison.Ordinal)}}' (FORMAT parquet)
                """;
            command.ExecuteNonQuery();
        }

        var import = await _cli.Run("import", "focus", "focus.parquet");
        var report = await _cli.Run("report", "--by", "tag:team", "--format", "json");

        import.ExitCode.ShouldBe(0, import.ToString());
        report.Json().GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("tag:team").GetString(), r.GetProperty("cost").GetDecimal()))
            .ShouldBe([("nlp", 1.25m), ("vision", 0.75m)]);
    }

    [Fact]
    public async Task ImportFocus_RejectsOption_ChoosesWhereRefusedRowsGo()
    {
        var file = _cli.Write(new FocusCsv().Row().Row(("BillingCurrency", "$")), "oct.csv");

        var import = await _cli.Run("import", "focus", file, "--skip-bad-rows", "--rejects", "out/refused.csv");

        import.ExitCode.ShouldBe(0, import.ToString());
        // The folder out/ does not exist yet: it is created.
        SimpleCsv.Parse(File.ReadAllText(_cli.Temp.File("out/refused.csv")))[1][1].ShouldBe("3");
    }

    [Fact]
    public async Task Imports_ListsProvenance_FilesHashesPeriodsRowsAndTotals()
    {
        var file = _cli.Write(Fixtures.Teams(), "oct.csv");
        (await _cli.Run("import", "focus", file)).ExitCode.ShouldBe(0);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_cli.Temp.File(file))));

        var json = await _cli.Run("imports", "--format", "json");
        var table = await _cli.Run("imports");

        json.ExitCode.ShouldBe(0, json.ToString());
        var record = json.Json().GetProperty("imports").EnumerateArray().Single();
        record.GetProperty("import_id").GetInt64().ShouldBe(1);
        record.GetProperty("kind").GetString().ShouldBe("focus");
        record.GetProperty("imported_at").GetDateTime().ShouldBe(CliHarness.Now.UtcDateTime);
        record.GetProperty("rows").GetInt64().ShouldBe(4);
        record.GetProperty("billing_periods").EnumerateArray().Select(p => p.GetString()).ShouldBe(["2026-10-01..2026-11-01"]);
        record.GetProperty("billed_totals").GetProperty("USD").GetDecimal().ShouldBe(4m);
        var stored = record.GetProperty("files").EnumerateArray().Single();
        stored.GetProperty("path").GetString().ShouldBe(_cli.Temp.File(file));
        stored.GetProperty("sha256").GetString().ShouldBe(sha);
        table.Out.ShouldContain("oct.csv " + sha[..12]);
        table.Out.ShouldContain("2026-11-15 12:00");
        table.Out.ShouldContain("live");
    }

    [Fact]
    public async Task ImportFocus_OnATerminal_ShowsProgress_AndStillImports()
    {
        var file = _cli.Write(Fixtures.Teams(), "oct.csv");

        var import = await _cli.Run(interactive: true, "import", "focus", file);
        var quiet = await _cli.Run(interactive: true, "import", "focus", _cli.Write(Fixtures.Teams().Row(("EffectiveCost", "1")), "nov.csv"), "--quiet");

        import.ExitCode.ShouldBe(0, import.ToString());
        import.Out.ShouldContain("Imported 4 rows");
        // The bar is drawn on stderr (results stay on stdout) and reaches 100%; --quiet draws none.
        import.Err.ShouldContain("Importing FOCUS rows");
        import.Err.ShouldContain("100%");
        import.Out.ShouldNotContain("Importing FOCUS rows");
        quiet.ExitCode.ShouldBe(0, quiet.ToString());
        quiet.Err.ShouldNotContain("Importing FOCUS rows");
    }

    [Fact]
    public async Task Report_ValuesThatLookLikeMarkup_AreShownVerbatim()
    {
        var file = _cli.Write(new FocusCsv().Row(("Tags", "{\"team\":\"[red]ops[/]\"}")).Row(("Tags", "{\"team\":\"a[b\"}")), "markup.csv");
        (await _cli.Run("import", "focus", file)).ExitCode.ShouldBe(0);

        var report = await _cli.Run("report", "--by", "tag:team", "--chart");

        report.ExitCode.ShouldBe(0, report.ToString());
        report.Out.ShouldContain("[red]ops[/]");
        report.Out.ShouldContain("a[b");
    }

    [Fact]
    public async Task Config_StorePath_IsWhereTheStoreLives()
    {
        _cli.WriteText("store:\n  path: data/costs.duckdb\n", "modelmeter.yaml");

        var import = await _cli.Run("import", "focus", _cli.Write(Fixtures.Teams(), "oct.csv"));

        import.ExitCode.ShouldBe(0, import.ToString());
        File.Exists(_cli.Temp.File("data/costs.duckdb")).ShouldBeTrue();
        File.Exists(_cli.StorePath).ShouldBeFalse();
        (await _cli.Run("report", "--format", "json")).Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(100m);
        var other = await _cli.Run("report", "--store", "other.duckdb", "--format", "json");
        other.ExitCode.ShouldBe(2, other.ToString());
        other.Err.ShouldContain("other.duckdb does not exist");
        File.Exists(_cli.Temp.File("other.duckdb")).ShouldBeFalse();
    }

    [Fact]
    public async Task Config_WithAnUnknownKey_IsBadInput()
    {
        _cli.WriteText("stroe:\n  path: x.duckdb\n", "modelmeter.yaml");

        var report = await _cli.Run("report");

        report.ExitCode.ShouldBe(2, report.ToString());
        report.Err.ShouldContain("modelmeter.yaml");
    }

    [Fact]
    public async Task Imports_OnAnEmptyStore_SaysHowToStart()
    {
        var run = await _cli.Run("imports");

        run.ExitCode.ShouldBe(0);
        run.Out.ShouldContain("No imports yet");
    }
}
