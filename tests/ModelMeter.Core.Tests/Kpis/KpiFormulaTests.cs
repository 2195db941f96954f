using ModelMeter.Core.Errors;
using ModelMeter.Core.Kpis;

namespace ModelMeter.Core.Tests.Kpis;

public sealed class KpiFormulaTests
{
    private static decimal? Eval(string formula, Func<KpiCall, decimal?> call) => KpiFormula.Parse(formula, "kpis.x").Evaluate(call);

    [Fact]
    public void Parse_ComputesWithPrecedenceAndParentheses_AndPassesCallArgumentsRaw()
    {
        var calls = new List<KpiCall>();
        var value = Eval("cost(tag:model=ranker, ServiceCategory=Compute) / usage(predictions, model=ranker) * 1000 - (2 - 1)", c =>
        {
            calls.Add(c);
            return c.Name == "cost" ? 300m : 1_000_000m;
        });

        value.ShouldBe(0.3m - 1m);
        calls[0].Arguments.ShouldBe(["tag:model=ranker", "ServiceCategory=Compute"]);
        calls[1].Arguments.ShouldBe(["predictions", "model=ranker"]);
    }

    [Fact]
    public void Previous_CarriesItsInnerFormula_AndMissingValuesOrZeroDivisorsAreNull()
    {
        var value = Eval("cost() / previous(cost()) - 1", c => c.Name == "previous" ? c.Inner!.Evaluate(_ => 200m) : 300m);
        value.ShouldBe(0.5m);

        Eval("cost() / usage(predictions)", c => c.Name == "cost" ? 10m : 0m).ShouldBeNull();
        Eval("cost() + other_kpi", c => c.Name == "cost" ? 10m : null).ShouldBeNull();
    }

    [Theory]
    [InlineData("cost(")]
    [InlineData("1 +")]
    [InlineData("1 2")]
    public void Parse_ABadFormula_SaysWhere(string formula) =>
        Should.Throw<UserInputException>(() => KpiFormula.Parse(formula, "kpis.x")).Message.ShouldContain($"kpis.x: formula '{formula}'");

    [Theory]
    [InlineData(0.5, 0.7, "above", "off_target")]
    [InlineData(0.8, 0.7, "above", "on_target")]
    [InlineData(0.004, 0.005, "below", "on_target")]
    [InlineData(null, 0.005, "below", "no_data")]
    public void Status_ComparesWithTheTargetInItsDirection(double? value, double target, string direction, string status) =>
        KpiStatus.Of((decimal?)value, (decimal)target, direction).ShouldBe(status);

    [Fact]
    public void Goal_IsOffTargetWhenAnyKpiUnderItIs() =>
        KpiStatus.OfGoal(["on_target", "off_target", "no_data"]).ShouldBe("off_target");
}
