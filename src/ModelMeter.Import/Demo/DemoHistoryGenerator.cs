using System.Globalization;
using System.Text;

namespace ModelMeter.Import.Demo;

/// <summary>An anomaly the demo planted: its days (inclusive), cause, the team it hit and roughly how much it added a day.</summary>
/// <param name="Kind"><c>spike</c> (a day), <c>runaway</c> (a few days, then back), <c>step</c> (a new level from then on: only its first days are the anomaly),
/// <c>burst</c> (the fleet's own planned training bursts: real rises, not waste).</param>
public sealed record PlantedAnomaly(DateOnly Start, DateOnly End, string Kind, string Cause, string Team, decimal ImpactPerDay);

/// <summary>What the history holds.</summary>
/// <param name="LevelShift">The planned level shift, in a sentence (not an anomaly).</param>
public sealed record DemoHistorySummary(long Rows, decimal BilledTotal, DateOnly? From, DateOnly? To, IReadOnlyList<PlantedAnomaly> Planted, string? LevelShift);

/// <summary>
/// The months before the demo month (and the days of the next month up to yesterday) at daily grain, so forecasts
/// and anomaly detectors have history: the same fleet with its weekly patterns (weekday LLM traffic, Monday
/// retraining, daytime endpoint load), a few percent of growth a month, a level shift (an endpoint retired), and
/// anomalies of several sizes and causes planted at seeded days: a runaway training job, a data-transfer spike, a
/// GPU notebook left on, a burst of model downloads; the demo month itself has the forgotten endpoint scale-up. One
/// row per resource and day keeps the demo fast. Deterministic for a seed.
/// </summary>
public static class DemoHistoryGenerator
{
    /// <summary>Monthly growth of LLM traffic and downloads.</summary>
    private const decimal Growth = 0.03m;

    /// <summary>Days at the start of the history with nothing planted: the detectors' baseline.</summary>
    private const int Quiet = 21;

    public static DemoHistorySummary Write(TextWriter writer, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var plan = Plan(options);
        DemoBillingGenerator.WriteHeader(writer);
        var line = new StringBuilder(512);
        long rows = 0;
        var billed = 0m;
        var months = Months(options);
        foreach (var (month, index, lastDay) in months)
        {
            var random = new Random(unchecked((options.Seed * 7_919) + (index * 104_729) + 3));
            var start = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var hours = (int)(start.AddMonths(1) - start).TotalHours;
            var after = month > options.Month;
            var resources = DemoFleet.Build(random, start, hours, rankerScaleUpHour: after ? 0 : int.MaxValue);
            var growth = Pow(1m + Growth, index);
            var retiredOn = plan.RetiredOn;
            resources.Add(RetiredEndpoint(h => DateOnly.FromDateTime(start.AddHours(h)) < retiredOn ? 2m : 0m));
            var billingStart = DemoBillingGenerator.Iso(start);
            var billingEnd = DemoBillingGenerator.Iso(start.AddMonths(1));
            var monthBilled = 0m;
            for (var day = 0; day * 24 < hours; day++)
            {
                var date = month.AddDays(day);
                if (date > lastDay)
                {
                    break;
                }

                var chargeStart = DemoBillingGenerator.Iso(start.AddDays(day));
                var chargeEnd = DemoBillingGenerator.Iso(start.AddDays(day + 1));
                foreach (var resource in resources.Where(r => r.Grain != DemoGrain.Month))
                {
                    var quantity = resource.Grain == DemoGrain.Hour
                        ? Enumerable.Range(day * 24, 24).Sum(resource.Quantity)
                        : resource.Quantity(day * 24);
                    if (Grows(resource))
                    {
                        quantity = Math.Round(quantity * growth, 0);
                    }

                    monthBilled += DemoBillingGenerator.WriteRow(writer, line, resource, quantity, billingStart, billingEnd, chargeStart, chargeEnd, ref rows);
                }

                foreach (var (resource, quantity) in plan.Extra(date))
                {
                    monthBilled += DemoBillingGenerator.WriteRow(writer, line, resource, quantity, billingStart, billingEnd, chargeStart, chargeEnd, ref rows);
                }
            }

            // A whole month's EU tax, as its own Tax row charged from the month's start, as in the demo month.
            if (lastDay >= month.AddMonths(1).AddDays(-1))
            {
                var tax = Math.Round(monthBilled * 0.004m, 2, MidpointRounding.AwayFromZero);
                monthBilled += DemoBillingGenerator.WriteRow(writer, line, Tax(tax), 1m, billingStart, billingEnd, billingStart, billingEnd, ref rows, overrideCost: tax);
            }

            billed += monthBilled;
        }

        writer.Flush();
        var from = months.Count == 0 ? (DateOnly?)null : months[0].Month;
        var to = months.Count == 0 ? (DateOnly?)null : months[^1].LastDay;
        var shift = plan.RetiredOn is { } retired && from is { } f && retired > f
            ? FormattableString.Invariant($"query-embed-v1-prod (2 x ml.g5.xlarge) retired on {retired:yyyy-MM-dd}: a planned level shift, about USD 68 a day less")
            : null;
        return new DemoHistorySummary(rows, billed, from, to, plan.Anomalies, shift);
    }

    /// <summary>The anomalies planted in the history and the demo month, for a seed.</summary>
    public static IReadOnlyList<PlantedAnomaly> Planted(DemoOptions options) => Plan(options).Anomalies;

    /// <summary>
    /// The planted anomalies as a labels file for <c>modelmeter anomalies --labels</c>: each once for the whole bill
    /// (empty scope) and once for its team (<c>tag:team=...</c>).
    /// </summary>
    public static string LabelsCsv(IReadOnlyList<PlantedAnomaly> planted)
    {
        ArgumentNullException.ThrowIfNull(planted);
        var text = new StringBuilder("start,end,scope,cause\n");
        foreach (var scope in new[] { false, true })
        {
            foreach (var p in planted)
            {
                text.Append(CultureInfo.InvariantCulture, $"{p.Start:yyyy-MM-dd},{p.End:yyyy-MM-dd},{(scope ? "tag:team=" + p.Team : "")},{p.Cause.Replace(',', ';')}\n");
            }
        }

        return text.ToString();
    }

    private static List<(DateOnly Month, int Index, DateOnly LastDay)> Months(DemoOptions options)
    {
        var list = new List<(DateOnly, int, DateOnly)>();
        for (var i = Math.Max(1, options.Months) - 1; i >= 1; i--)
        {
            var month = options.Month.AddMonths(-i);
            list.Add((month, -i, month.AddMonths(1).AddDays(-1)));
        }

        var next = options.Month.AddMonths(1);
        if (options.Through is { } through && through >= next)
        {
            var last = through < next.AddMonths(1) ? through : next.AddMonths(1).AddDays(-1);
            list.Add((next, 1, last));
        }

        return list;
    }

    private static bool Grows(DemoResource r) => r.ServiceName == "Amazon Bedrock" || r.ResourceId == "egress-model-downloads";

    private static decimal Pow(decimal x, int n)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(n); i++)
        {
            result *= x;
        }

        return n < 0 ? 1m / result : result;
    }

    private sealed record HistoryPlan(IReadOnlyList<PlantedAnomaly> Anomalies, DateOnly? RetiredOn, IReadOnlyList<(DateOnly Day, DemoResource Resource, decimal Quantity)> Rows)
    {
        public IEnumerable<(DemoResource Resource, decimal Quantity)> Extra(DateOnly day) => Rows.Where(r => r.Day == day).Select(r => (r.Resource, r.Quantity));
    }

    private static HistoryPlan Plan(DemoOptions options)
    {
        var random = new Random(unchecked((options.Seed * 31) + 11));
        var days = Months(options).SelectMany(m => Enumerable.Range(0, m.LastDay.DayNumber - m.Month.DayNumber + 1).Select(d => m.Month.AddDays(d))).ToList();
        var anomalies = new List<PlantedAnomaly>();
        var rows = new List<(DateOnly, DemoResource, decimal)>();

        // The demo month's own: ranker-v3-prod scaled from 2 to 6 instances at noon on day 9 and never back (a step).
        var step = options.Month.AddDays(8);
        anomalies.Add(new PlantedAnomaly(step, step.AddDays(1), "step", "forgotten endpoint scale-up: ranker-v3-prod from 2 to 6 ml.g5.2xlarge on day 9, never scaled back", "search", 145m));

        // The fleet's own bursts, every month: the NLP team's 7B fine-tune on p5.48xlarge, a 9-hour failed start on the
        // 5th and a 70-hour run from the 12th to the 15th. Planned, but real rises a detector should report.
        var months = Months(options).Select(m => m.Month).Append(options.Month).Order().ToList();
        var taken = new List<DateOnly> { step, step.AddDays(1) };
        foreach (var month in months)
        {
            var lastDay = month == options.Month ? month.AddMonths(1).AddDays(-1) : Months(options).First(m => m.Month == month).LastDay;
            if (month.AddDays(4) <= lastDay)
            {
                anomalies.Add(new PlantedAnomaly(month.AddDays(4), month.AddDays(4), "burst", "planned: llm-finetune-7b failed start, 9 hours of p5.48xlarge", "nlp", 495m));
            }

            if (month.AddDays(11) <= lastDay)
            {
                anomalies.Add(new PlantedAnomaly(month.AddDays(11), month.AddDays(14) <= lastDay ? month.AddDays(14) : lastDay, "burst", "planned: llm-finetune-7b full run, 70 hours of p5.48xlarge", "nlp", 1_321m));
            }

            taken.AddRange(Enumerable.Range(3, 14).Select(d => month.AddDays(d)).Where(d => d.Day is 4 or 5 or 6 || d.Day is >= 11 and <= 16));
        }

        DateOnly? retiredOn = days.Count > Quiet ? days[random.Next(Quiet / 2, Math.Min(days.Count - 1, Quiet * 2))] : null;
        if (retiredOn is { } retired)
        {
            taken.Add(retired);
        }

        var candidates = days.Skip(Quiet).ToList();
        DateOnly? Pick(int length)
        {
            for (var attempt = 0; attempt < 50 && candidates.Count > length; attempt++)
            {
                var start = candidates[random.Next(0, candidates.Count - length)];
                if (taken.All(t => Math.Abs(t.DayNumber - start.DayNumber) > 6 && Math.Abs(t.DayNumber - start.AddDays(length - 1).DayNumber) > 6))
                {
                    for (var d = 0; d < length; d++)
                    {
                        taken.Add(start.AddDays(d));
                    }

                    return start;
                }
            }

            return null;
        }

        // A runaway training job: a p5 (or p4d) on demand somebody forgot, 2 or 3 days at 24 hours.
        var p5 = random.Next(0, 2) == 0;
        var runawayDays = random.Next(2, 4);
        if (Pick(runawayDays) is { } runaway)
        {
            var (type, price, team) = p5 ? ("p5.48xlarge", 55.04m, "nlp") : ("p4d.24xlarge", 32.7726m, "search");
            var job = Instance($"i-0runaway{options.Seed:D8}", $"{team}-train-runaway", type, price, team, "runaway training job never stopped");
            for (var d = 0; d < runawayDays; d++)
            {
                rows.Add((runaway.AddDays(d), job, 24m));
            }

            anomalies.Add(new PlantedAnomaly(runaway, runaway.AddDays(runawayDays - 1), "runaway", $"runaway training job: a {type} on demand left running for {runawayDays} days", team, Math.Round(price * 24m, 0)));
        }

        // A data-transfer spike: the feature store re-synced everything across zones, 3 to 5 times a normal day.
        var factor = random.Next(3, 6);
        if (Pick(1) is { } transfer)
        {
            rows.Add((transfer, TransferSpike(), 37_000m * (factor - 1)));
            anomalies.Add(new PlantedAnomaly(transfer, transfer, "spike", $"data-transfer spike: feature-store-sync moved {factor}x its daily volume across zones", "platform", 370m * (factor - 1)));
        }

        // A GPU notebook someone started for a hackathon and left on for a day or two.
        var notebookDays = random.Next(1, 3);
        if (Pick(notebookDays) is { } notebook)
        {
            var nb = Instance("arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/nb-vision-hackathon", "nb-vision-hackathon", "ml.p3.8xlarge", 14.688m, "vision", "GPU notebook left on");
            for (var d = 0; d < notebookDays; d++)
            {
                rows.Add((notebook.AddDays(d), nb, 24m));
            }

            anomalies.Add(new PlantedAnomaly(notebook, notebook.AddDays(notebookDays - 1), "runaway", $"GPU notebook (ml.p3.8xlarge) left on for {notebookDays} day(s) after a hackathon", "vision", 353m));
        }

        // A burst of model downloads: a partner pulled every ranker artefact, 4 to 6 times a normal day's egress.
        var burst = random.Next(4, 7);
        if (Pick(1) is { } downloads)
        {
            rows.Add((downloads, Downloads(), 500m * (burst - 1)));
            anomalies.Add(new PlantedAnomaly(downloads, downloads, "spike", $"model download burst: {burst}x a normal day's internet egress", "search", 45m * (burst - 1)));
        }

        return new HistoryPlan(anomalies.OrderBy(a => a.Start).ToList(), retiredOn, rows);
    }

    private static string Tags(string team, string product, string environment) =>
        DemoBillingGenerator.TagJson(("cost_center", team is "vision" ? "CC-200" : team is "platform" ? "CC-300" : "CC-100"), ("team", team), ("product", product), ("environment", environment));

    private static DemoResource RetiredEndpoint(Func<int, decimal> instances) => new()
    {
        ResourceId = "arn:aws:sagemaker:us-east-1:222222222222:endpoint/query-embed-v1-prod", ResourceName = "query-embed-v1-prod", ResourceType = "Endpoint",
        ServiceName = "Amazon SageMaker", ServiceCategory = "AI and Machine Learning", Account = DemoFleet.Production, AvailabilityZone = "us-east-1b",
        SkuId = "USE1-Host:ml.g5.xlarge", PricingUnit = "Hours", ListUnitPrice = 1.408m, ChargeDescription = "SageMaker real-time inference ml.g5.xlarge",
        Tags = Tags("search", "search", "prod"), Quantity = instances,
    };

    private static DemoResource Instance(string id, string name, string type, decimal price, string team, string waste) => new()
    {
        ResourceId = id, ResourceName = name, ResourceType = "Instance", ServiceName = type.StartsWith("ml.", StringComparison.Ordinal) ? "Amazon SageMaker" : "Amazon Elastic Compute Cloud",
        ServiceCategory = type.StartsWith("ml.", StringComparison.Ordinal) ? "AI and Machine Learning" : "Compute", Account = DemoFleet.Research, AvailabilityZone = "us-east-1a",
        SkuId = $"USE1-BoxUsage:{type}", PricingUnit = "Hours", ListUnitPrice = price, ChargeDescription = $"{type} on-demand",
        Tags = Tags(team, team is "nlp" ? "assistant" : team is "vision" ? "catalog-vision" : "search", "dev"), Quantity = _ => 0m, Waste = waste,
    };

    private static DemoResource TransferSpike() => new()
    {
        ResourceId = "feature-store-sync", ResourceName = "feature-store-sync us-east-1a<->us-east-1c", ResourceType = "Data Transfer",
        ServiceName = "AWS Data Transfer", ServiceCategory = "Networking", Account = DemoFleet.Platform, AvailabilityZone = "us-east-1a",
        SkuId = "USE1-DataTransfer-Regional-Bytes", PricingUnit = "GB", ListUnitPrice = 0.01m, Grain = DemoGrain.Day,
        ChargeDescription = "Data transfer between availability zones (full re-sync)", Quantity = _ => 0m, Tags = Tags("platform", "feature-store", "prod"),
    };

    private static DemoResource Downloads() => new()
    {
        ResourceId = "egress-model-downloads", ResourceName = "model artefact downloads", ResourceType = "Data Transfer",
        ServiceName = "AWS Data Transfer", ServiceCategory = "Networking", Account = DemoFleet.Production, SkuId = "USE1-DataTransfer-Out-Bytes",
        PricingUnit = "GB", ListUnitPrice = 0.09m, Grain = DemoGrain.Day, ChargeDescription = "Data transfer out to the internet (partner download)",
        Quantity = _ => 0m, Tags = DemoBillingGenerator.TagJson(("cost_center", "CC-100"), ("team", "search"), ("product", "search"), ("model", "ranker-v3"), ("environment", "prod")),
    };

    private static DemoResource Tax(decimal amount) => new()
    {
        ResourceId = "", ResourceName = "", ResourceType = "", ServiceName = "Tax", ServiceCategory = "Other",
        Account = DemoFleet.ResearchEu, RegionId = "", SkuId = "TAX-VAT", PricingUnit = "",
        ListUnitPrice = 1m, ChargeCategory = "Tax", ChargeDescription = "VAT on EU services", Quantity = _ => amount,
    };
}
