using CsCheck;
using ModelMeter.Core.CostModels;

namespace ModelMeter.Core.Tests.CostModels;

public class CostModelPropertyTests
{
    [Fact]
    public void Tco_AtTheBreakEvenSpend_BothOptionsCostTheSame_ForAnyInputs() =>
        Gen.Select(Gen.Int[1, 60], Gen.Int[1, 60], Gen.Int[1, 100], Gen.Int[50_000, 500_000])
            .Where((self, managed, _, _) => managed < self)
            .Sample((self, managed, premiumPercent, annual) =>
            {
                var input = new TcoInput
                {
                    ComputePerYear = 1m,
                    ManagedPremium = premiumPercent / 100m,
                    SelfHostedHoursPerWeek = self,
                    ManagedHoursPerWeek = managed,
                    EngineerAnnualCost = annual,
                };
                var breakEven = TcoModel.Calculate(input, "USD").Value("break_even_compute");
                var atBreakEven = TcoModel.Calculate(input with { ComputePerYear = breakEven }, "USD");
                Math.Abs(atBreakEven.Value("self_hosted_total") - atBreakEven.Value("managed_total")).ShouldBeLessThan(0.000001m);
            });

    [Fact]
    public void Scenarios_AreOrdered_OptimisticExpectedPessimistic_ForAnyRanges() =>
        Gen.Select(Gen.Int[1, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[1, 100], Gen.Int[0, 100], Gen.Int[0, 100])
            .Sample((hoursLow, hoursUp1, hoursUp2, rateLow, rateUp1, rateUp2) =>
            {
                var ranges = new Dictionary<string, InputRange>
                {
                    ["hours"] = new(hoursLow, hoursLow + hoursUp1, hoursLow + hoursUp1 + hoursUp2),
                    ["rate"] = new(rateLow, rateLow + rateUp1, rateLow + rateUp1 + rateUp2),
                };
                var set = Scenarios.Run(ranges, v => EnvelopeModel.Calculate(new EnvelopeInput { RateName = "r", HourlyRate = v["rate"], Hours = v["hours"] }, "USD"));
                set.Optimistic.Headline.Amount.ShouldBeLessThanOrEqualTo(set.Expected.Headline.Amount);
                set.Expected.Headline.Amount.ShouldBeLessThanOrEqualTo(set.Pessimistic.Headline.Amount);
                set.Optimistic.Headline.Amount.ShouldBe(ranges["hours"].Low * ranges["rate"].Low);
                set.Pessimistic.Headline.Amount.ShouldBe(ranges["hours"].High * ranges["rate"].High);
            });
}
