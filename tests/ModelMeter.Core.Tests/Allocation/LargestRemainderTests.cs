using CsCheck;
using ModelMeter.Core.Allocation;

namespace ModelMeter.Core.Tests.Allocation;

public class LargestRemainderTests
{
    private static IReadOnlyList<SplitShare> Shares(params (string Key, decimal Weight)[] shares) =>
        shares.Select(s => new SplitShare(s.Key, s.Weight)).ToList();

    [Fact]
    public void Even_ThreeWays_GivesTheLeftoverCentToTheFirstByName()
    {
        var parts = LargestRemainder.Split(10.00m, 2, Shares(("c", 1m), ("a", 1m), ("b", 1m)));

        parts.Select(p => p.Key).ShouldBe(["a", "b", "c"]);
        parts.Select(p => p.Amount).ShouldBe([3.34m, 3.33m, 3.33m]);
    }

    [Fact]
    public void NegativePool_CreditIsSplitOnItsMagnitude_AndEveryPartIsNegativeOrZero()
    {
        var parts = LargestRemainder.Split(-10.00m, 2, Shares(("a", 1m), ("b", 1m), ("c", 1m), ("d", 0m)));

        parts.Select(p => p.Amount).ShouldBe([-3.34m, -3.33m, -3.33m, 0m]);
    }

    [Fact]
    public void LeftoverUnit_GoesToTheLargestRemainder_NotTheLargestWeight()
    {
        // 10 cents by 6.4 : 3.6 → quotas 6.4 and 3.6 cents; the one leftover cent goes to the .6 remainder.
        var parts = LargestRemainder.Split(0.10m, 2, Shares(("heavy", 6.4m), ("light", 3.6m)));

        parts.Select(p => p.Amount).ShouldBe([0.06m, 0.04m]);
    }

    [Fact]
    public void TiedRemainders_AreBrokenByName()
    {
        // One cent by 2 : 2 : 1 → quotas 0.4, 0.4, 0.2 cents; "alpha" and "beta" tie, "alpha" sorts first.
        var parts = LargestRemainder.Split(0.01m, 2, Shares(("beta", 2m), ("alpha", 2m), ("gamma", 1m)));

        parts.Select(p => p.Amount).ShouldBe([0.01m, 0m, 0m]);
    }

    [Fact]
    public void Yen_HasNoMinorUnit_SoPartsAreWholeYen()
    {
        var parts = LargestRemainder.Split(100m, 0, Shares(("a", 1m), ("b", 1m), ("c", 1m)));

        parts.Select(p => p.Amount).ShouldBe([34m, 33m, 33m]);
    }

    [Fact]
    public void SubCentResidue_GoesToTheLargestWeight_SoTheSumIsStillExact()
    {
        // 10.005 USD: 1000 whole cents split 2:1 (667 / 333), the half cent goes to the heaviest participant.
        var parts = LargestRemainder.Split(10.005m, 2, Shares(("a", 2m), ("b", 1m)));

        parts.Select(p => p.Amount).ShouldBe([6.675m, 3.33m]);
        parts.Sum(p => p.Amount).ShouldBe(10.005m);
    }

    [Fact]
    public void SingleTarget_GetsThePoolToTheLastDigit()
    {
        var parts = LargestRemainder.Split(1234.567891m, 2, Shares(("only", 0.5m)));

        parts.ShouldHaveSingleItem().Amount.ShouldBe(1234.567891m);
    }

    [Fact]
    public void ZeroWeights_CannotSplit()
    {
        var ex = Should.Throw<ArgumentException>(() => LargestRemainder.Split(5m, 2, Shares(("a", 0m), ("b", 0m))));
        ex.Message.ShouldContain("sum to zero");
    }

    [Fact]
    public void NegativeWeight_OrDuplicateKey_IsRefused()
    {
        Should.Throw<ArgumentException>(() => LargestRemainder.Split(5m, 2, Shares(("a", -1m), ("b", 2m)))).Message.ShouldContain("negative");
        Should.Throw<ArgumentException>(() => LargestRemainder.Split(5m, 2, Shares(("a", 1m), ("a", 2m)))).Message.ShouldContain("twice");
    }

    private static readonly Gen<decimal> Amounts =
        Gen.Long[-5_000_000_000L, 5_000_000_000L].SelectMany(m => Gen.Int[0, 6].Select(scale => m / LargestRemainderTestsPow10(scale)));

    private static readonly Gen<decimal> Weights =
        Gen.Frequency((1, Gen.Const(0m)), (6, Gen.Int[1, 1_000_000].SelectMany(w => Gen.Int[0, 4].Select(s => new decimal(w, 0, 0, false, (byte)s)))));

    private static readonly Gen<(decimal Amount, int MinorUnits, SplitShare[] Shares)> Splits =
        Gen.Select(
            Amounts,
            Gen.Int[0, 3],
            Weights.Array[1, 12].Where(w => w.Sum() > 0m),
            (amount, minor, weights) => (amount, minor, weights.Select((w, i) => new SplitShare($"t{i:D2}", w)).ToArray()));

    [Fact]
    public void Property_PartsSumExactlyToThePool_AndRespectItsSign()
    {
        Splits.Sample(s =>
        {
            var parts = LargestRemainder.Split(s.Amount, s.MinorUnits, s.Shares);

            parts.Sum(p => p.Amount).ShouldBe(s.Amount);
            if (s.Amount >= 0m)
            {
                parts.ShouldAllBe(p => p.Amount >= 0m);
            }
            else
            {
                parts.ShouldAllBe(p => p.Amount <= 0m);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Property_EveryPartIsWithinOneMinorUnitOfItsExactQuota_AndZeroWeightsGetNothing()
    {
        Splits.Sample(s =>
        {
            var parts = LargestRemainder.Split(s.Amount, s.MinorUnits, s.Shares);
            var unit = 1m / LargestRemainderTestsPow10(s.MinorUnits);
            var total = s.Shares.Sum(x => x.Weight);
            var offGrid = 0;
            foreach (var part in parts)
            {
                var exact = s.Amount * part.Weight / total;
                Math.Abs(part.Amount - exact).ShouldBeLessThan(unit + unit);
                if (decimal.Truncate(part.Amount / unit) * unit != part.Amount)
                {
                    offGrid++;
                }

                if (part.Weight == 0m)
                {
                    part.Amount.ShouldBe(0m);
                }
            }

            offGrid.ShouldBeLessThanOrEqualTo(1, "only the sub-unit residue may leave the minor-unit grid");
        }, iter: 2000);
    }

    [Fact]
    public void Property_OrderOfParticipantsIsIrrelevant()
    {
        Splits.SelectMany(s => Gen.Shuffle(s.Shares.ToArray()).Select(shuffled => (s, shuffled)))
            .Sample(x =>
            {
                var first = LargestRemainder.Split(x.s.Amount, x.s.MinorUnits, x.s.Shares);
                var second = LargestRemainder.Split(x.s.Amount, x.s.MinorUnits, x.shuffled);
                second.ShouldBe(first);
            }, iter: 1000);
    }

    private static decimal LargestRemainderTestsPow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
