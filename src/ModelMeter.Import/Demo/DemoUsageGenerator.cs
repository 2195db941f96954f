using System.Globalization;

namespace ModelMeter.Import.Demo;

/// <summary>What the demo's usage file holds, for the demo's printout.</summary>
public sealed record DemoUsageSummary(int Lines, decimal GpuHours, decimal CapacityGpuHours);

/// <summary>
/// Writes the job log of the demo's shared GPU cluster (<c>gpu-cluster-node-1..4</c>, 4 × g5.12xlarge, 16 GPUs) as a
/// <c>modelmeter import usage</c> CSV: one line per job with its team, model, start, end and GPU-hours. Teams use it
/// below its 384 GPU-hours a day (about three quarters on weekdays, less at weekends), so the allocation shows an idle line; a nightly NLP
/// evaluation crosses midnight (split over both days by the importer), and an ad-hoc benchmark nobody tagged is
/// real use by an unknown team. Deterministic for a seed.
/// </summary>
public static class DemoUsageGenerator
{
    /// <summary>The <c>cluster</c> value the jobs carry and the demo's allocation rule selects.</summary>
    public const string Cluster = "gpu-cluster";

    /// <summary>The metric the jobs are measured in.</summary>
    public const string Metric = "gpu_hours";

    /// <summary>4 nodes × 4 GPUs × 24 h.</summary>
    public const decimal CapacityPerDay = 384m;

    private static readonly (string Team, string Model, string Job)[] Workloads =
    [
        ("search", "ranker-v3", "ranker-hpo"),
        ("nlp", "assistant-rag", "rag-embed-refresh"),
        ("vision", "vision-detector", "detector-ablation"),
        ("recsys", "reco-twotower", "twotower-retrain"),
    ];

    private static readonly int[] GpuCounts = [1, 2, 4, 4, 8];

    public static DemoUsageSummary Write(TextWriter writer, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(unchecked((options.Seed * 7919) + 17));
        var start = options.Month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var days = DateTime.DaysInMonth(options.Month.Year, options.Month.Month);
        writer.Write("start,end,team,model,cluster,job,metric,value\n");
        var lines = 0;
        var total = 0m;
        for (var day = 0; day < days; day++)
        {
            var date = start.AddDays(day);
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            foreach (var (team, model, job) in Workloads)
            {
                // Each team stays within 80 GPU-hours a day (40 at weekends), so the cluster is busy but never full.
                var budget = weekend ? 40 : 80;
                var jobs = weekend ? random.Next(0, 3) : random.Next(3, 6);
                for (var j = 0; j < jobs && budget > 0; j++)
                {
                    var gpus = GpuCounts[random.Next(GpuCounts.Length)];
                    var hours = Math.Min(random.Next(2, 9), Math.Max(1, budget / gpus));
                    var from = random.Next(0, 24 - hours + 1);
                    budget -= gpus * hours;
                    Line(date.AddHours(from), date.AddHours(from + hours), team, model, $"{job}-{day + 1:D2}{j + 1}", gpus * hours);
                }
            }

            // The nightly evaluation of the NLP assistant: 4 GPUs from 22:00 to 02:00, across midnight.
            if (day < days - 1)
            {
                Line(date.AddHours(22), date.AddHours(26), "nlp", "assistant-rag", $"assistant-nightly-eval-{day + 1:D2}", 16);
            }

            // Fridays: a benchmark someone ran without a team label.
            if (date.DayOfWeek == DayOfWeek.Friday)
            {
                Line(date.AddHours(9), date.AddHours(11), "", "", $"adhoc-benchmark-{day + 1:D2}", 8);
            }
        }

        return new DemoUsageSummary(lines, total, CapacityPerDay * days);

        void Line(DateTime from, DateTime to, string team, string model, string job, decimal gpuHours)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{from:yyyy-MM-dd'T'HH:mm:ss'Z'},{to:yyyy-MM-dd'T'HH:mm:ss'Z'},{team},{model},{Cluster},{job},{Metric},{gpuHours}\n"));
            lines++;
            total += gpuHours;
        }
    }
}
