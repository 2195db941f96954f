using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// Every class of bad input: exit code 2, an error naming file, line and column, and a store left exactly as it was.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A valid row, the bad row on line 3, another valid row.</summary>
    private static FocusCsv WithBadRow(params (string Column, string Value)[] bad) =>
        new FocusCsv().Row(("EffectiveCost", "1000")).Row(bad).Row(("EffectiveCost", "2000"));

    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // case, column, value, what the message says
        { "bad decimal", "BilledCost", "12,50", "is not a number: use a dot as the decimal separator" },
        { "bad exponent decimal", "EffectiveCost", "1e40", "is not a number" },
        { "too many places", "ListCost", "0.0000000000000000001", "has more than 18 decimal places" },
        { "bad timestamp", "ChargePeriodStart", "5/1/25", "is not an ISO 8601 date-time" },
        { "bad currency", "BillingCurrency", "US", "is not an ISO 4217 currency code" },
        { "bad quantity", "PricingQuantity", "1 000", "is not a number" },
        { "bad Tags JSON", "Tags", "{team:nlp}", "is not valid JSON" },
        { "nested Tags", "Tags", "{\"team\":{\"name\":\"nlp\"}}", "tag 'team' has an object value" },
        { "array Tags", "Tags", "{\"teams\":[\"nlp\"]}", "tag 'teams' has an array value" },
        { "huge cost", "BilledCost", "1e25", "has more than 20 digits before the decimal point" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task ImportFocus_RefusesRowWithBadValue_NamingFileLineAndColumn_AndLeavesStoreUnchanged(string @case, string column, string value, string message)
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var csv = WithBadRow((column, value));
        var file = _cli.Write(csv, "bad.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2, $"{@case}\n{import}");
        import.Err.ShouldContain($"bad.csv: line 3, column {csv.ColumnNumber(column)} ({column}): '{value}' {message}", Case.Sensitive, import.ToString());
        import.Err.ShouldContain("nothing was imported and the store is unchanged");
        import.Err.ShouldNotContain("   at ");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_RefusesRowWithWrongFieldCount_AndLeavesStoreUnchanged()
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var csv = WithBadRow();
        var lines = csv.ToCsv().Split('\n');
        lines[2] = lines[2][..lines[2].LastIndexOf(',')];
        var file = _cli.WriteText(string.Join('\n', lines), "short.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain($"short.csv: line 3, column {csv.Columns.Count} (Tags): has {csv.Columns.Count - 1} fields but the header has {csv.Columns.Count}");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_RefusesFileMissingMandatoryColumns_ListingThem_AndLeavesStoreUnchanged()
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var file = _cli.Write(new FocusCsv().WithoutColumn("EffectiveCost").WithoutColumn("BillingCurrency").Row(), "partial.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("partial.csv: line 1: this is not a complete FOCUS cost-and-usage export: 2 mandatory columns EffectiveCost, BillingCurrency are missing");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_RefusesUnclosedQuote_AndLeavesStoreUnchanged()
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var file = _cli.WriteText(new FocusCsv().Row().ToCsv() + "acct-1,\"Acme Payer\n", "quote.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("quote.csv: line 3, column 2 (BillingAccountName)");
        import.Err.ShouldContain("never closed");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_RefusedAsJson_GivesEachProblemsLineAndColumn()
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var csv = WithBadRow(("BillingCurrency", "EURO"));
        var file = _cli.Write(csv, "bad.csv");

        var import = await _cli.Run("import", "focus", file, "--format", "json");

        import.ExitCode.ShouldBe(2, import.ToString());
        var json = import.Json();
        json.GetProperty("outcome").GetString().ShouldBe("refused");
        json.GetProperty("problem_count").GetInt64().ShouldBe(1);
        var problem = json.GetProperty("problems")[0];
        problem.GetProperty("file").GetString().ShouldEndWith("bad.csv");
        problem.GetProperty("line").GetInt64().ShouldBe(3);
        problem.GetProperty("column").GetInt32().ShouldBe(csv.ColumnNumber("BillingCurrency"));
        problem.GetProperty("column_name").GetString().ShouldBe("BillingCurrency");
        problem.GetProperty("value").GetString().ShouldBe("EURO");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task ImportFocus_ListsEveryProblem_NotJustTheFirst()
    {
        var csv = new FocusCsv().Row(("BilledCost", "x")).Row().Row(("BillingCurrency", "dollars"), ("ListCost", "n/a"));
        var file = _cli.Write(csv, "many.csv");

        var import = await _cli.Run("import", "focus", file);

        import.ExitCode.ShouldBe(2);
        import.Err.ShouldContain("3 problems in 2 rows");
        import.Err.ShouldContain($"many.csv: line 2, column {csv.ColumnNumber("BilledCost")}");
        import.Err.ShouldContain($"many.csv: line 4, column {csv.ColumnNumber("ListCost")}");
        import.Err.ShouldContain($"many.csv: line 4, column {csv.ColumnNumber("BillingCurrency")}");
    }

    [Fact]
    public async Task ImportFocus_OneBadFileAmongSeveral_RefusesThemAll()
    {
        await SeedStore();
        var before = await _cli.StoreSnapshot();
        var good = _cli.Write(new FocusCsv().Row(("BillingAccountId", "other"), ("EffectiveCost", "5")), "good.csv");
        var bad = _cli.Write(WithBadRow(("BilledCost", "?")), "bad.csv");

        var import = await _cli.Run("import", "focus", good, bad);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain("bad.csv: line 3");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Theory]
    [InlineData("nope.csv", "no such file")]
    [InlineData("bill.json", "expected a .csv, .csv.gz or .parquet file")]
    public async Task ImportFocus_RefusesPathsThatAreNotFocusFiles(string path, string message)
    {
        _cli.WriteText("{}", "bill.json");

        var import = await _cli.Run("import", "focus", path);

        import.ExitCode.ShouldBe(2, import.ToString());
        import.Err.ShouldContain(message);
    }

    [Theory]
    [InlineData("--grain", "minute", "hour, day, week or month")]
    [InlineData("--format", "xml", "table, json, csv or markdown")]
    [InlineData("--by", "Service Category", "is not a dimension")]
    [InlineData("--by", "BilledCost", "is not a FOCUS column to group or filter by")]
    [InlineData("--where", "tag:team", "is not a condition")]
    [InlineData("--month", "October", "YYYY-MM")]
    [InlineData("--last", "1y", "30d")]
    [InlineData("--top", "0", "--top must be a positive number")]
    [InlineData("--cost", "blended", "effective (or amortized), billed, list or contracted")]
    public async Task Report_RefusesBadOptions_WithExitCode2(string option, string value, string message)
    {
        var report = await _cli.Run("report", option, value);

        report.ExitCode.ShouldBe(2, report.ToString());
        report.Err.ShouldContain(message);
        report.Err.ShouldNotContain("   at ");
    }

    private async Task SeedStore()
    {
        var seed = await _cli.Run("import", "focus", _cli.Write(Fixtures.Teams(), "seed.csv"));
        seed.ExitCode.ShouldBe(0, seed.ToString());
    }
}
