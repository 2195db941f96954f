using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>check --scope</c>: a budget scope whose remaining amount for the period comes from imported actuals.</summary>
public class CheckScopeTests
{
    private const string Header =
        "BillingAccountId,BillingAccountName,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ProviderName,PublisherName," +
        "InvoiceIssuerName,ServiceName,ServiceCategory,ChargeCategory,ChargeClass,ChargeDescription,BilledCost,EffectiveCost,ListCost," +
        "ContractedCost,BillingCurrency,PricingQuantity,PricingUnit,Tags\n";

    // A July line item of a day; BilledCost is EffectiveCost + 10 so the tests see that EffectiveCost is what counts.
    private static string Row(string day, decimal effective, string team, string currency = "USD", string account = "acct-1", string month = "07") =>
        FormattableString.Invariant(
            $"{account},Research,2025-{month}-01T00:00:00Z,2025-{(month == "07" ? "08" : "07")}-01T00:00:00Z,2025-{month}-{day}T00:00:00Z,2025-{month}-{day}T23:00:00Z,AWS,AWS,AWS,Amazon EC2,Compute,Usage,,GPU hours,") +
        FormattableString.Invariant($"{effective + 10m},{effective},{effective + 20m},{effective},{currency},1,Hours,\"{{\"\"team\"\":\"\"{team}\"\"}}\"\n");

    /// <summary>
    /// Today is 2025-07-15. Team search has spent 300 in July to date (100 + 200; June's 1,000 is another month),
    /// vision 400. The spec a.yaml costs 3 × 100 = 300.
    /// </summary>
    private static async Task<CliRunner> WithActuals(string? csv = null)
    {
        var cli = new CliRunner(new DateTimeOffset(2025, 7, 15, 9, 0, 0, TimeSpan.Zero));
        cli.WriteFile("a.yaml", "kind: envelope\nname: job a\ninputs:\n  price_per_hour: 3\n  hours: 100\n");
        cli.WriteFile("focus.csv", csv ?? Header
            + Row("30", 1000m, "search", month: "06")
            + Row("01", 100m, "search")
            + Row("10", 200m, "search")
            + Row("05", 400m, "vision"));
        var import = await cli.RunAsync("import", "focus", "focus.csv", "--store", "meter.duckdb", "--quiet");
        import.ExitCode.ShouldBe(0, import.Out + import.Error);
        return cli;
    }

    [Fact]
    public async Task CheckScope_EstimatePlusSpentWithinBudget_Exits0_NamingSpentAndRemaining()
    {
        using var cli = await WithActuals();

        // 1,000 − 300 spent = 700 remaining ≥ 300 estimated: 400 headroom
        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        result.Out.ShouldStartWith("## ✅ ModelMeter cost check passed");
        result.Out.ShouldContain("Budget scope `tag:team=search`, month 2025-07:");
        result.Out.ShouldContain("| budget, 2025-07, `tag:team=search` | 1,000.00 USD |");
        result.Out.ShouldContain("| spent to date (2025-07-01 to 2025-07-15) | 300.00 USD |");
        result.Out.ShouldContain("| remaining | 700.00 USD |");
        result.Out.ShouldContain("| estimated | 300.00 USD |");
        result.Out.ShouldContain("| headroom | 400.00 USD |");
        result.Out.ShouldContain("| verdict | within budget |");
    }

    [Fact]
    public async Task CheckScope_EstimatePlusSpentOverBudget_Exits1_AndSaysByHowMuch()
    {
        using var cli = await WithActuals();

        // 550 − 300 spent = 250 remaining < 300 estimated: over by 50 (without the actuals it would pass)
        var result = await cli.RunAsync("check", "a.yaml", "--budget", "550", "--scope", "tag:team=search", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        result.Out.ShouldStartWith("## ❌ ModelMeter cost check failed");
        result.Out.ShouldContain("Estimated 300.00 USD exceeds the remaining budget of 250.00 USD (550.00 USD budget − 300.00 USD spent to date) by 50.00 USD.");
        result.Out.ShouldContain("| spent to date (2025-07-01 to 2025-07-15) | 300.00 USD |");
        result.Out.ShouldContain("| remaining | 250.00 USD |");
        result.Out.ShouldContain("| verdict | over budget |");
    }

    [Fact]
    public async Task CheckScope_PeriodYear_CountsEarlierMonths()
    {
        using var cli = await WithActuals();

        // 2025 to date: 1,000 + 300 spent; 1,500 − 1,300 = 200 < 300
        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1500", "--scope", "tag:team=search", "--period", "year", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        result.Out.ShouldContain("| spent to date (2025-01-01 to 2025-07-15) | 1,300.00 USD |");
        result.Out.ShouldContain("| remaining | 200.00 USD |");
    }

    [Fact]
    public async Task CheckScope_Json_CarriesSpentScopeAndPeriod()
    {
        using var cli = await WithActuals();

        var result = await cli.RunAsync(
            "check", "a.yaml", "--budget", "1000", "--scope", "tag:team in (search, vision)", "--scope", "ServiceCategory=Compute",
            "--period", "quarter", "--store", "meter.duckdb", "--format", "json");

        // Q3 to date: 300 + 400 = 700; 1,000 − 700 = 300 = the estimate: exactly within budget
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.GetProperty("passed").GetBoolean().ShouldBeTrue();
        root.GetProperty("verdict").GetString().ShouldBe("within budget");
        root.GetProperty("budget").GetDecimal().ShouldBe(1000m);
        root.GetProperty("spent_to_date").GetDecimal().ShouldBe(700m);
        root.GetProperty("available").GetDecimal().ShouldBe(300m);
        root.GetProperty("total").GetDecimal().ShouldBe(300m);
        root.GetProperty("headroom").GetDecimal().ShouldBe(0m);
        root.GetProperty("scope").GetString().ShouldBe("tag:team in (search, vision) and ServiceCategory=Compute");
        root.GetProperty("period").GetString().ShouldBe("2025-Q3");
        root.GetProperty("period_start").GetString().ShouldBe("2025-07-01");
        root.GetProperty("period_end").GetString().ShouldBe("2025-10-01");
        root.GetProperty("spent_as_of").GetString().ShouldBe("2025-07-15");
    }

    [Fact]
    public async Task CheckScope_Table_ShowsTheSameFigures()
    {
        using var cli = await WithActuals();

        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--store", "meter.duckdb", "--format", "table");

        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        result.Out.ShouldContain("spent to date (2025-07-01 to 2025-07-15)");
        result.Out.ShouldContain("300.00 USD");
        result.Out.ShouldContain("700.00 USD");
        result.Out.ShouldContain("within budget");
    }

    [Fact]
    public async Task CheckScope_NothingImportedForTheScope_WarnsAndCountsZero()
    {
        using var cli = await WithActuals();

        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=ranking", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        result.Error.ShouldContain("no imported line item matches --scope tag:team=ranking in 2025-07");
        result.Out.ShouldContain("| spent to date (2025-07-01 to 2025-07-15) | 0.00 USD |");
    }

    [Fact]
    public async Task CheckScope_SpendInAnotherCurrency_Exits2()
    {
        using var cli = await WithActuals(Header + Row("02", 100m, "search", currency: "EUR"));

        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(2, result.Out + result.Error);
        result.Error.ShouldContain("is billed in EUR");
        result.Error.ShouldContain("the budget is in USD");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckScope_SpendInSeveralCurrencies_Exits2()
    {
        using var cli = await WithActuals(Header + Row("02", 100m, "search") + Row("02", 80m, "search", currency: "EUR", account: "acct-eu"));

        var result = await cli.RunAsync("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--store", "meter.duckdb");

        result.ExitCode.ShouldBe(2, result.Out + result.Error);
        result.Error.ShouldContain("several billing currencies");
    }

    [Theory]
    [InlineData("check", "a.yaml", "--scope", "tag:team=search", "--store", "meter.duckdb")] // no budget
    [InlineData("check", "a.yaml", "--budget", "1000", "--scope", "Team=search", "--store", "meter.duckdb")] // not a FOCUS column
    [InlineData("check", "a.yaml", "--budget", "1000", "--scope", "tag:team", "--store", "meter.duckdb")] // not a condition
    [InlineData("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--period", "week", "--store", "meter.duckdb")]
    [InlineData("check", "a.yaml", "--budget", "1000", "--period", "month")] // period without a scope
    [InlineData("check", "a.yaml", "--budget", "1000", "--scope", "tag:team=search", "--store", "missing.duckdb")]
    public async Task CheckScope_BadInput_Exits2(params string[] args)
    {
        using var cli = await WithActuals();

        var result = await cli.RunAsync(args);

        result.ExitCode.ShouldBe(2, result.Out + result.Error);
        result.Error.ShouldContain("error:");
        File.Exists(Path.Combine(cli.Directory, "missing.duckdb")).ShouldBeFalse();
    }
}
