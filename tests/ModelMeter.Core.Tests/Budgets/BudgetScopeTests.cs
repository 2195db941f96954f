using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Budgets;

public class BudgetScopeTests
{
    private static readonly BudgetScope Search = BudgetScope.Parse(["tag:team=search"]);
    private static readonly BudgetPeriod July = BudgetPeriod.Containing(BudgetPeriodKind.Month, new DateOnly(2025, 7, 15));

    [Theory]
    [InlineData(BudgetPeriodKind.Month, "2025-08-31", "2025-08-01", "2025-09-01", "2025-08")]
    [InlineData(BudgetPeriodKind.Month, "2025-12-01", "2025-12-01", "2026-01-01", "2025-12")]
    [InlineData(BudgetPeriodKind.Quarter, "2025-03-31", "2025-01-01", "2025-04-01", "2025-Q1")]
    [InlineData(BudgetPeriodKind.Quarter, "2025-08-15", "2025-07-01", "2025-10-01", "2025-Q3")]
    [InlineData(BudgetPeriodKind.Quarter, "2025-10-01", "2025-10-01", "2026-01-01", "2025-Q4")]
    [InlineData(BudgetPeriodKind.Year, "2025-08-15", "2025-01-01", "2026-01-01", "2025")]
    public void Period_ContainingADay_IsTheCalendarPeriod(BudgetPeriodKind kind, string day, string start, string end, string label)
    {
        var period = BudgetPeriod.Containing(kind, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        period.Start.ShouldBe(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        period.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        period.Label.ShouldBe(label);
    }

    [Fact]
    public void Period_DefaultsToMonth_AndRefusesOtherWords()
    {
        BudgetPeriod.ParseKind(null).ShouldBe(BudgetPeriodKind.Month);
        BudgetPeriod.ParseKind("Quarter").ShouldBe(BudgetPeriodKind.Quarter);
        Should.Throw<UserInputException>(() => BudgetPeriod.ParseKind("week")).Message.ShouldContain("use month, quarter or year");
    }

    [Fact]
    public void Scope_ParsesEveryConditionLikeWhere_AndNamesScopeInErrors()
    {
        var scope = BudgetScope.Parse(["tag:team=search", "ServiceCategory!=Storage"]);

        scope.Filters.Select(f => (f.Dimension, f.Operator, string.Join(",", f.Values))).ShouldBe([
            (new TagDimension("team"), FilterOperator.Equal, "search"),
            (new ColumnDimension("ServiceCategory"), FilterOperator.NotEqual, "Storage"),
        ]);
        scope.Label.ShouldBe("tag:team=search and ServiceCategory!=Storage");
        Should.Throw<UserInputException>(() => BudgetScope.Parse(["tag:team"])).Message.ShouldStartWith("--scope 'tag:team' is not a condition");
    }

    [Fact]
    public void Spend_InTheBudgetsCurrency_IsUsed_AndNothingMatchedIsZero()
    {
        new ActualSpend([new Money(12.5m, "USD")], null).In("USD", Search, July).ShouldBe(new Money(12.5m, "USD"));
        new ActualSpend([], null).In("EUR", Search, July).ShouldBe(Money.Zero("EUR"));
    }

    [Fact]
    public void Spend_InAnotherCurrency_IsRefused()
    {
        var error = Should.Throw<UserInputException>(() => new ActualSpend([new Money(80m, "EUR")], null).In("USD", Search, July));

        error.Message.ShouldContain("--scope tag:team=search is billed in EUR (80.00 EUR in 2025-07) but the budget is in USD");
    }

    [Fact]
    public void Spend_InSeveralCurrencies_IsRefused_NotAdded()
    {
        var error = Should.Throw<UserInputException>(() => new ActualSpend([new Money(80m, "EUR"), new Money(100m, "USD")], null).In("USD", Search, July));

        error.Message.ShouldContain("several billing currencies in 2025-07 (80.00 EUR, 100.00 USD)");
    }

    [Fact]
    public void Markdown_WithAScope_NamesScopePeriodSpentAndRemaining_AndStaleActuals()
    {
        // 1,000 − 300 spent = 700 remaining; 650 estimated: headroom 50
        var basis = new SpendToDateBasis(Search, July, new DateOnly(2025, 7, 15), AnyLineItems: true, new DateTime(2025, 7, 13, 0, 0, 0, DateTimeKind.Utc));
        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = [new CheckItem("train", "train.yaml", "Total", new Money(650m, "USD"))],
            Budget = new Money(1000m, "USD"),
            SpentToDate = new Money(300m, "USD"),
            SpentBasis = basis,
        });

        var md = BudgetCheck.ToMarkdown(result);

        result.Passed.ShouldBeTrue();
        md.ShouldContain("Budget scope `tag:team=search`, month 2025-07: spent to date is the EffectiveCost of imported actuals charged 2025-07-01 to 2025-07-15.");
        md.ShouldContain("The imported actuals end at 2025-07-13 00:00 UTC");
        md.ShouldContain("| budget, 2025-07, `tag:team=search` | 1,000.00 USD |");
        md.ShouldContain("| spent to date (2025-07-01 to 2025-07-15) | 300.00 USD |");
        md.ShouldContain("| remaining | 700.00 USD |");
        md.ShouldContain("| headroom | 50.00 USD |");
        md.ShouldContain("| verdict | within budget |");
    }
}
