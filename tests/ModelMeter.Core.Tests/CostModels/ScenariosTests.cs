using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.CostModels;

public class ScenariosTests
{
    // cost = hours × rate ÷ efficiency: hours and rate raise cost, efficiency lowers it.
    private static Estimate Model(IReadOnlyDictionary<string, decimal> v) =>
        EnvelopeModel.Calculate(new EnvelopeInput { RateName = "r", HourlyRate = v["rate"] / v["efficiency"], Hours = v["hours"] }, "USD");

    [Fact]
    public void Scenarios_PickEachRangeEndByItsEffectOnCost()
    {
        // optimistic: hours 80, rate 1, efficiency 0.8 → 80 × 1 ÷ 0.8 = 100
        // expected: 100 × 2 ÷ 0.5 = 400
        // pessimistic: hours 150, rate 3, efficiency 0.25 → 150 × 3 ÷ 0.25 = 1,800
        var set = Scenarios.Run(
            new Dictionary<string, InputRange>
            {
                ["hours"] = new(80m, 100m, 150m),
                ["rate"] = new(1m, 2m, 3m),
                ["efficiency"] = new(0.25m, 0.5m, 0.8m),
            },
            Model);

        set.Optimistic.Headline.Amount.ShouldBe(100m);
        set.Expected.Headline.Amount.ShouldBe(400m);
        set.Pessimistic.Headline.Amount.ShouldBe(1800m);
        set.Choices.Single(c => c.Input == "efficiency").Optimistic.ShouldBe(0.8m);
    }

    [Fact]
    public void Scenarios_RefuseARangeOutOfOrder()
    {
        var ex = Should.Throw<UserInputException>(() => Scenarios.Run(
            new Dictionary<string, InputRange> { ["hours"] = new(100m, 80m, 150m), ["rate"] = new(2m, 2m, 2m), ["efficiency"] = new(1m, 1m, 1m) },
            Model));
        ex.Message.ShouldContain("hours");
        ex.Message.ShouldContain("low ≤ expected ≤ high");
    }
}
