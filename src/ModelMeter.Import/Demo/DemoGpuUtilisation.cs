using System.Text.Json;

namespace ModelMeter.Import.Demo;

/// <summary>One hour's GPU gauge of a resource: utilisation in percent (0-100) and memory used per GPU in bytes.</summary>
internal readonly record struct DemoGpuSample(double Percent, long MemoryBytes);

/// <summary>
/// The GPU utilisation the demo's GPU resources show, hour by hour, in exactly the hours the bill charges them (the
/// fleet is rebuilt from the seed as the billing generator builds it). A sample is what DCGM's exporter reports per
/// resource averaged over its GPUs. The planted waste shows: the notebooks of people who left sit near 0%, the nightly
/// batch instance is busy 01:00-03:00 and at 0% the other 22 hours, the ranker endpoint's traffic spread over 6
/// instances after its scale-up leaves each under 20%. Everything else is healthy: training at 80-90%, serving endpoints
/// and the shared cluster at 60-90%. The benchmark padding (<see cref="DemoFleet.Padding"/>) has none.
/// </summary>
internal static class DemoGpuUtilisation
{
    private const long GiB = 1L << 30;

    /// <summary>Memory per GPU of the demo's GPU instance types (AWS instance type pages); other types have no GPU.</summary>
    private static readonly Dictionary<string, long> MemoryPerGpu = new(StringComparer.Ordinal)
    {
        ["g4dn.xlarge"] = 16 * GiB, // NVIDIA T4
        ["g5.xlarge"] = 24 * GiB, // NVIDIA A10G
        ["g5.2xlarge"] = 24 * GiB,
        ["g5.12xlarge"] = 24 * GiB,
        ["p3.2xlarge"] = 16 * GiB, // NVIDIA V100
        ["p4d.24xlarge"] = 40 * GiB, // NVIDIA A100 40 GB
        ["p5.48xlarge"] = 80 * GiB, // NVIDIA H100
    };

    internal enum Profile
    {
        /// <summary>Nobody uses it: a kernel holding its CUDA context, no work.</summary>
        Idle,

        /// <summary>Busy 01:00-03:00, idle the rest of the day it is billed.</summary>
        NightlyBatch,

        /// <summary>A fixed traffic spread over however many instances the bill charges that hour.</summary>
        OverScaledEndpoint,
        Training,
        Serving,
        Cluster,
    }

    /// <summary>A GPU resource of the bill and how it is used.</summary>
    internal sealed record Resource(string ResourceId, string Model, string Environment, long GpuMemoryBytes, Profile Kind, Func<int, decimal> Billed)
    {
        /// <summary>The sample for hour <paramref name="h"/> of the month, or null when the bill does not charge the resource then.</summary>
        public DemoGpuSample? Sample(int h, DateTime at, Random random)
        {
            var instances = (double)Billed(h);
            if (instances <= 0)
            {
                return null;
            }

            var hour = at.Hour;
            var weekend = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var noise = random.NextDouble();
            var (percent, memoryShare) = Kind switch
            {
                Profile.Idle => (noise * 0.8, 0.02),
                Profile.NightlyBatch => hour is >= 1 and < 3 ? (76 + (noise * 12), 0.72) : (0.0, 0.0),

                // 116 instance-percent of daytime traffic: 58% on each of 2 instances, under 20% on each of 6.
                Profile.OverScaledEndpoint => (Math.Min(95, 116 * (hour is >= 8 and < 22 ? 1.0 : 0.35) * (weekend ? 0.7 : 1) * (0.9 + (noise * 0.2)) / instances), 0.4),
                Profile.Training => (80 + (noise * 10), 0.85),
                Profile.Serving => hour is >= 8 and < 22 ? (72 + (noise * 14), 0.55) : (62 + (noise * 8), 0.5),
                Profile.Cluster => weekend ? (60 + (noise * 8), 0.5) : (68 + (noise * 16), 0.65),
                _ => throw new InvalidOperationException($"no profile {Kind}"),
            };
            return new DemoGpuSample(Math.Round(percent, 1), (long)Math.Round(GpuMemoryBytes * memoryShare * (0.95 + (noise * 0.1))));
        }
    }

    /// <summary>The month's GPU resources, in the fleet's order, each with the hours the bill charges it.</summary>
    public static IReadOnlyList<Resource> Resources(DemoOptions options, DateTime start, int hours)
    {
        // The same random source and order as DemoBillingGenerator: the same resources and billed hours.
        var fleet = DemoFleet.Build(new Random(options.Seed), start, hours);
        var list = new List<Resource>();
        foreach (var r in fleet)
        {
            if (r.Grain != DemoGrain.Hour || r.ChargeCategory != "Usage" || !MemoryPerGpu.TryGetValue(InstanceType(r.SkuId), out var memory))
            {
                continue;
            }

            var (model, environment) = ModelAndEnvironment(r.Tags);
            var kind = r switch
            {
                { ResourceType: "Notebook Instance", Waste: not null } => Profile.Idle,
                { ResourceName: "reco-nightly-batch" } => Profile.NightlyBatch,
                { ResourceName: "ranker-v3-prod" } => Profile.OverScaledEndpoint,
                { ResourceType: "Endpoint" } => Profile.Serving,
                { ResourceName: var name } when name.StartsWith("gpu-cluster-node-", StringComparison.Ordinal) => Profile.Cluster,
                _ => Profile.Training,
            };
            list.Add(new Resource(r.ResourceId, model, environment, memory, kind, r.Quantity));
        }

        return list;
    }

    /// <summary><c>USE1-BoxUsage:g5.2xlarge</c>, <c>USE1-Host:ml.g5.xlarge</c> → the EC2 instance type.</summary>
    private static string InstanceType(string skuId)
    {
        var type = skuId[(skuId.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return type.StartsWith("ml.", StringComparison.Ordinal) ? type[3..] : type;
    }

    private static (string Model, string Environment) ModelAndEnvironment(string? tags)
    {
        if (tags is null)
        {
            return ("", "");
        }

        using var json = JsonDocument.Parse(tags);
        string Value(string key) => json.RootElement.TryGetProperty(key, out var v) ? v.GetString() ?? "" : "";
        return (Value("model"), Value("environment"));
    }
}
