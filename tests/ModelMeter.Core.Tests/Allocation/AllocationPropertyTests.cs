using CsCheck;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Allocation;

/// <summary>Invariants of the engine over random rows, rules and usage: money is conserved, signs hold, output is deterministic.</summary>
public class AllocationPropertyTests
{
    private static readonly string[] Teams = ["nlp", "vision", "recsys"];
    private static readonly string[] Services = ["Amazon EKS", "Amazon S3", "AWS Support", "Amazon SageMaker"];
    private static readonly string[] Currencies = ["USD", "EUR", "JPY"];

    private static readonly Gen<decimal> Amount =
        Gen.Frequency(
            (8, Gen.Long[0, 500_000_000]),
            (1, Gen.Long[-50_000_000, 0]))
        .SelectMany(units => Gen.Int[0, 5].Select(scale => units / Pow10(scale)));

    private static readonly Gen<CostPoolRow> Rows =
        Gen.Select(
            Gen.Int[1, 3],
            Gen.Int[0, Currencies.Length - 1],
            Amount,
            Gen.Int[0, Services.Length - 1],
            Gen.Int[0, 5],
            Gen.Int[-1, Teams.Length - 1],
            Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))),
            (day, currency, amount, service, resource, team, providerSplit) => new CostPoolRow(
                new DateOnly(2026, 10, day),
                Currencies[currency],
                amount,
                Services[service],
                $"res-{resource}",
                $"acct-{resource % 2}",
                providerSplit ? "provider-split" : null,
                team < 0 ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["team"] = Teams[team] }));

    private static readonly Gen<UsageSample> Samples =
        Gen.Select(
            Gen.Int[1, 3],
            Gen.Frequency((5, Gen.Const("gpu_hours")), (1, Gen.Const("gpu_capacity"))),
            Gen.Frequency((1, Gen.Const(0m)), (6, Gen.Int[1, 100_000].Select(v => v / 100m))),
            Gen.Int[-1, Teams.Length - 1],
            (day, metric, value, team) => new UsageSample(
                new DateOnly(2026, 10, day),
                metric,
                metric == "gpu_capacity" ? value * 10m : value,
                team < 0 || metric == "gpu_capacity" ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["team"] = Teams[team] }));

    private static readonly AllocationRule[] CandidateRules =
    [
        new("cluster-usage-line", new PoolSelector { ServiceName = "Amazon EKS" }, "team", AllocationMethod.Usage)
        {
            Driver = new UsageDriver("gpu_hours"),
            Idle = new IdleCapacity(IdleMode.Line) { CapacityPerDay = 400m },
        },
        new("cluster-usage-spread", new PoolSelector { ResourceIdPattern = "*-2" }, "team", AllocationMethod.Usage)
        {
            Driver = new UsageDriver("gpu_hours"),
            Idle = new IdleCapacity(IdleMode.Spread) { CapacityMetric = "gpu_capacity" },
        },
        new("plain-usage", new PoolSelector { ResourceIdPattern = "res-1*" }, "team", AllocationMethod.Usage) { Driver = new UsageDriver("gpu_hours") },
        new("support", new PoolSelector { ServiceName = "AWS Support" }, "team", AllocationMethod.Proportional),
        new("storage", new PoolSelector { ServiceName = "Amazon S3" }, "team", AllocationMethod.Fixed)
        {
            FixedPercentages = new Dictionary<string, decimal> { ["nlp"] = 12.5m, ["vision"] = 33.3m, ["recsys"] = 54.2m },
        },
        new("account-even", new PoolSelector { SubAccountId = "acct-1" }, "team", AllocationMethod.Even),
        new("explicit-even", new PoolSelector { Tags = new Dictionary<string, string> { ["team"] = "recsys" } }, "team", AllocationMethod.Even) { Targets = ["nlp", "vision"] },
        new("monthly", new PoolSelector { ResourceIdPattern = "res-5" }, "team", AllocationMethod.Usage)
        {
            Driver = new UsageDriver("gpu_hours"),
            Grain = TimeGrain.Month,
            Idle = new IdleCapacity(IdleMode.Line) { CapacityPerDay = 50m },
        },
    ];

    private static readonly Gen<AllocationRule[]> Rules =
        Gen.Shuffle(CandidateRules.ToArray()).SelectMany(shuffled => Gen.Int[0, shuffled.Length].Select(n => shuffled.Take(n).ToArray()));

    private static readonly Gen<(CostPoolRow[] Rows, AllocationRule[] Rules, UsageSample[] Usage)> Inputs =
        Gen.Select(Rows.Array[0, 40], Rules, Samples.Array[0, 30]);

    [Fact]
    public void Property_AllocatedTotalEqualsTheInputTotal_PerCurrency_ToTheLastDigit()
    {
        Inputs.Sample(input =>
        {
            var result = new AllocationEngine().Allocate(input.Rows, input.Rules, input.Usage);

            var expected = input.Rows.GroupBy(r => r.Currency).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
            result.TotalsByCurrency().ShouldBe(expected, ignoreOrder: true);
        }, iter: 500);
    }

    [Fact]
    public void Property_EveryPoolIsSplitExactly_AndAPositivePoolHasNoNegativePart()
    {
        Inputs.Sample(input =>
        {
            var result = new AllocationEngine().Allocate(input.Rows, input.Rules, input.Usage);

            foreach (var pool in result.Pools)
            {
                var parts = result.Lines.Where(l => l.Rule == pool.Rule && l.Period == pool.Period && l.Currency == pool.Currency).ToList();
                parts.ShouldNotBeEmpty();
                parts.Sum(l => l.Amount).ShouldBe(pool.Amount);
                if (pool.Amount >= 0m)
                {
                    parts.ShouldAllBe(l => l.Amount >= 0m);
                }
                else
                {
                    parts.ShouldAllBe(l => l.Amount <= 0m);
                }
            }
        }, iter: 500);
    }

    [Fact]
    public void Property_SameInputInAnyOrder_GivesTheSameLines()
    {
        Inputs.SelectMany(input => Gen.Select(Gen.Shuffle(input.Rows.ToArray()), Gen.Shuffle(input.Usage.ToArray()), (rows, usage) => (input, rows, usage)))
            .Sample(x =>
            {
                var first = new AllocationEngine().Allocate(x.input.Rows, x.input.Rules, x.input.Usage);
                var second = new AllocationEngine().Allocate(x.rows, x.input.Rules, x.usage);

                Snapshot(second).ShouldBe(Snapshot(first));
            }, iter: 300);
    }

    [Fact]
    public void Property_ProviderSplitRowsAreNeverPooled_AndEveryLineKeepsItsPoolsCurrency()
    {
        Inputs.Sample(input =>
        {
            var result = new AllocationEngine().Allocate(input.Rows, input.Rules, input.Usage);

            var providerSplit = input.Rows.Where(r => r.IsProviderAllocated).Sum(r => r.Amount);
            result.Lines.Where(l => l.ProviderAllocationMethod is not null).Sum(l => l.Amount).ShouldBe(providerSplit);
            foreach (var line in result.Lines.Where(l => l.Explanation is not null))
            {
                line.Currency.ShouldBe(line.Explanation!.Pool.Currency);
            }
        }, iter: 300);
    }

    private static List<string> Snapshot(AllocationResult result) =>
        result.Lines.Select(l => string.Join(
            '|',
            l.Period,
            l.Currency,
            l.Amount,
            l.Kind,
            l.Rule,
            l.Label,
            string.Join(',', l.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")),
            l.Explanation?.Describe()))
        .Concat(result.Warnings)
        .ToList();

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }
}
