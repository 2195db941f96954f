using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary><c>modelmeter report</c> over a small known store: groups, top-N, formats, filters, grains and currencies.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public ReportTests()
    {
        _cli.Write(Fixtures.Teams(), "oct.csv");
        _cli.Run("import", "focus", "oct.csv").GetAwaiter().GetResult().ExitCode.ShouldBe(0);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Report_Top2_FoldsTheRestIntoOther()
    {
        var report = await _cli.Run("report", "--by", "tag:team", "--top", "2", "--format", "json");

        report.ExitCode.ShouldBe(0, report.ToString());
        var rows = report.Json().GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("tag:team").GetString(), r.GetProperty("cost").GetDecimal(), r.GetProperty("share").GetDecimal())).ToList();
        rows.ShouldBe([("vision", 35m, 0.35m), ("nlp", 30m, 0.30m), ("(other)", 35m, 0.35m)]);
        report.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(100m);
    }

    [Fact]
    public async Task Report_Csv_HasStableColumns_AndFullPrecision()
    {
        var report = await _cli.Run("report", "--by", "tag:team,ServiceCategory", "--format", "csv");

        report.ExitCode.ShouldBe(0, report.ToString());
        var records = SimpleCsv.Parse(report.Out);
        records[0].ShouldBe(["tag:team", "ServiceCategory", "currency", "cost", "share"]);
        records.Skip(1).Select(r => (r[0], r[1], r[2], SimpleCsv.Decimal(r[3]), SimpleCsv.Decimal(r[4]))).ShouldBe([
            ("vision", "Compute", "USD", 35m, 0.35m),
            ("nlp", "Compute", "USD", 30m, 0.3m),
            ("(untagged)", "Storage", "USD", 20m, 0.2m),
            ("search", "Compute", "USD", 15m, 0.15m),
        ]);
    }

    [Fact]
    public async Task Report_CsvTimeSeries_StartsWithThePeriod()
    {
        var report = await _cli.Run("report", "--grain", "day", "--format", "csv");

        var records = SimpleCsv.Parse(report.Out);
        records[0].ShouldBe(["period", "currency", "cost", "share"]);
        records.Skip(1).Select(r => (r[0], SimpleCsv.Decimal(r[2]))).ShouldBe([("2026-10-01", 80m), ("2026-10-02", 20m)]);
    }

    [Fact]
    public async Task Report_Markdown_IsATableWithAlignedMoneyAndATotalRow()
    {
        var report = await _cli.Run("report", "--by", "tag:team", "--top", "2", "--format", "markdown");

        report.ExitCode.ShouldBe(0, report.ToString());
        report.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "| tag:team | EffectiveCost | Currency | Share |",
            "| --- | ---: | --- | ---: |",
            "| vision | 35.00 | USD | 35.0% |",
            "| nlp | 30.00 | USD | 30.0% |",
            "| (other) | 35.00 | USD | 35.0% |",
            "| **Total** | **100.00** | USD | 100.0% |",
        ]);
    }

    [Fact]
    public async Task Report_Table_ShowsGroupsSharesAndTotal()
    {
        var report = await _cli.Run("report", "--by", "tag:team");

        report.ExitCode.ShouldBe(0, report.ToString());
        report.Out.ShouldContain("EffectiveCost (USD)");
        report.Out.ShouldContain("(untagged)");
        report.Out.ShouldContain("35.0%");
        report.Out.ShouldContain("100.00");
    }

    [Fact]
    public async Task Report_Where_FiltersBeforeGrouping()
    {
        var report = await _cli.Run("report", "--by", "tag:team", "--where", "ServiceCategory=Compute", "--where", "tag:team not in (search)", "--format", "json");

        report.ExitCode.ShouldBe(0, report.ToString());
        report.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(65m);
    }

    [Fact]
    public async Task Report_Month_AndFromTo_LimitTheChargePeriod()
    {
        var october = await _cli.Run("report", "--month", "2026-10", "--format", "json");
        var secondDay = await _cli.Run("report", "--from", "2026-10-02", "--to", "2026-10-03", "--format", "json");
        var september = await _cli.Run("report", "--month", "2026-09", "--format", "json");

        october.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(100m);
        secondDay.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(20m);
        september.Json().GetProperty("rows").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Report_Last_CountsBackFromTheInjectedClock()
    {
        // On 2026-11-15 the last 45 days start on 2026-10-02: the Oct 2 charge (20) is in, the Oct 1 ones are not.
        var onFifteenth = await _cli.Run("report", "--last", "45d", "--format", "json");
        _cli.Clock.Advance(TimeSpan.FromDays(1));
        var onSixteenth = await _cli.Run("report", "--last", "45d", "--format", "json");

        onFifteenth.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(20m);
        onSixteenth.Json().GetProperty("rows").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Report_CostBilled_SumsBilledCost()
    {
        var report = await _cli.Run("report", "--cost", "billed", "--format", "json");

        report.Json().GetProperty("cost").GetString().ShouldBe("BilledCost");
        report.Json().GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(4m);
    }

    [Fact]
    public async Task Report_MixedCurrencies_AreGroupedByCurrency_NeverAdded()
    {
        _cli.Write(new FocusCsv().Row(("EffectiveCost", "50"), ("BillingCurrency", "EUR"), ("BillingAccountId", "eu"), ("Tags", "{\"team\":\"nlp\"}")), "eur.csv");
        (await _cli.Run("import", "focus", "eur.csv")).ExitCode.ShouldBe(0);

        var json = (await _cli.Run("report", "--by", "tag:team", "--format", "json")).Json();
        var table = await _cli.Run("report", "--by", "tag:team");

        json.GetProperty("totals").GetProperty("USD").GetDecimal().ShouldBe(100m);
        json.GetProperty("totals").GetProperty("EUR").GetDecimal().ShouldBe(50m);
        json.GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("currency").GetString() == "EUR").GetProperty("share").GetDecimal().ShouldBe(1m);
        table.Out.ShouldContain("Currency");
        table.Out.ShouldContain("EUR");
    }

    [Fact]
    public async Task Report_Chart_DrawsABarPerGroup()
    {
        var report = await _cli.Run("report", "--by", "tag:team", "--chart");

        report.ExitCode.ShouldBe(0, report.ToString());
        report.Out.ShouldContain("█");
        report.Out.ShouldContain("vision");
    }

    [Fact]
    public async Task Report_OnAStoreWithNothingMatching_SaysSo()
    {
        var report = await _cli.Run("report", "--where", "tag:team=nobody");

        report.ExitCode.ShouldBe(0);
        report.Out.ShouldContain("No costs match");
    }
}
