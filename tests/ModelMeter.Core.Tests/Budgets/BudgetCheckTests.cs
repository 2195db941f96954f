using ModelMeter.Core.Budgets;
using ModelMeter.Core.Monetary;

namespace ModelMeter.Core.Tests.Budgets;

public class BudgetCheckTests
{
    private static CheckItem Item(decimal amount, string name = "train") => new(name, name + ".yaml", "Total", new Money(amount, "USD"));

    [Fact]
    public void Check_WithinBudget_Passes_AndShowsHeadroom()
    {
        // 1,200 + 300 = 1,500 against 2,000 → headroom 500
        var result = BudgetCheck.Evaluate(new BudgetCheckInput { Items = [Item(1200m), Item(300m, "serve")], Budget = new Money(2000m, "USD") });

        result.Passed.ShouldBeTrue();
        result.Total.Amount.ShouldBe(1500m);
        result.Headroom.Amount.ShouldBe(500m);
    }

    [Fact]
    public void Check_OverBudget_FailsWithTheOverrun()
    {
        var result = BudgetCheck.Evaluate(new BudgetCheckInput { Items = [Item(2500m)], Budget = new Money(2000m, "USD") });

        result.OverBudget.ShouldBeTrue();
        result.Reasons.Single().ShouldContain("by 500.00 USD");
    }

    [Fact]
    public void Check_SpendToDate_ReducesWhatIsAvailable()
    {
        // budget 2,000 − spent 1,000 = 1,000 available < 1,500 estimated
        var result = BudgetCheck.Evaluate(new BudgetCheckInput { Items = [Item(1500m)], Budget = new Money(2000m, "USD"), SpentToDate = new Money(1000m, "USD") });

        result.Available.Amount.ShouldBe(1000m);
        result.OverBudget.ShouldBeTrue();
        BudgetCheck.ToMarkdown(result).ShouldContain("| remaining | 1,000.00 USD |");
    }

    [Fact]
    public void Check_IncreaseOverBaseline_AboveTheMaximum_Fails()
    {
        // 1,150 vs 1,000 → +15% > 10%
        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = [Item(1150m)], Budget = new Money(5000m, "USD"), Baseline = [Item(1000m)], MaxIncreasePercent = 10m,
        });

        result.IncreasePercent.ShouldBe(15m);
        result.OverBudget.ShouldBeFalse();
        result.OverMaxIncrease.ShouldBeTrue();
        result.Passed.ShouldBeFalse();
    }

    [Fact]
    public void Check_IncreaseWithinTheMaximum_Passes()
    {
        var result = BudgetCheck.Evaluate(new BudgetCheckInput
        {
            Items = [Item(1100m)], Budget = new Money(5000m, "USD"), Baseline = [Item(1000m)], MaxIncreasePercent = 10m,
        });
        result.Passed.ShouldBeTrue();
    }

    [Fact]
    public void Markdown_HasAVerdictTheItemsAndTheBudget()
    {
        var result = BudgetCheck.Evaluate(new BudgetCheckInput { Items = [Item(1234.5m)], Budget = new Money(1000m, "USD") });
        var md = BudgetCheck.ToMarkdown(result);

        md.ShouldStartWith("## ❌ ModelMeter cost check failed");
        md.ShouldContain("| train (`train.yaml`) | Total | 1,234.50 USD |");
        md.ShouldContain("| budget | 1,000.00 USD |");
        md.ShouldContain("| headroom | -234.50 USD |");
    }
}
