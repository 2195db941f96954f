namespace ModelMeter.Import.Demo;

/// <summary>
/// The demo organisation's resources and how they are used over the month. Prices are AWS us-east-1 on-demand list
/// prices (see data/ and docs for sources); spot is modelled at 40% of on-demand, a typical level for G and P families.
/// </summary>
internal static class DemoFleet
{
    public static readonly DemoAccount Research = new("111111111111", "ml-research");
    public static readonly DemoAccount ResearchEu = new("111111111122", "ml-research-eu");
    public static readonly DemoAccount Production = new("222222222222", "ml-production");
    public static readonly DemoAccount Platform = new("333333333333", "ml-platform");
    public static readonly DemoAccount Sandbox = new("444444444444", "sandbox");

    /// <summary>reco-nightly-batch's 200 GB gp3 data volume, attached: its I/O is in the demo's usage samples.</summary>
    public const string AttachedVolumeId = "vol-0feed5eed0000001";

    private const decimal SpotShare = 0.40m;

    /// <summary>Hours a month, as the recommendations count savings (8,760 / 12).</summary>
    private const decimal MonthHours = 730m;

    private static readonly int[] ExperimentDays = [2, 3, 9, 16, 23];

    /// <param name="random">The month's random source.</param>
    /// <param name="start">The month's first hour.</param>
    /// <param name="hours">Hours in the month.</param>
    /// <param name="rankerScaleUpHour">The hour of the month ranker-v3-prod goes from 2 to 6 instances (day 9 of the demo
    /// month; the history before it never, after it from the start).</param>
    public static List<DemoResource> Build(Random random, DateTime start, int hours, int rankerScaleUpHour = (8 * 24) + 12)
    {
        var days = hours / 24;
        var list = new List<DemoResource>();

        // Search: ranker-v3 retrains every Monday on spot p4d; its endpoint was scaled up for a launch and never back.
        var mondays = Enumerable.Range(0, days).Where(d => IsWeekday(start, d, DayOfWeek.Monday)).ToHashSet();
        list.Add(Gpu("i-0a1b2c3d4e5f60001", "ranker-v3-train", "p4d.24xlarge", 21.957642m, Research, "us-east-1a", spot: true,
            Tags("CC-100", "search", "search", "ranker-v3", "prod", "exp-ranker-weekly"),
            h => mondays.Contains(h / 24) && h % 24 is >= 2 and < 16 ? 1m : 0m));
        var scaleUpHour = rankerScaleUpHour;
        list.Add(Endpoint("ranker-v3-prod", "ml.g5.2xlarge", 1.515m, Tags("CC-100", "search", "search", "ranker-v3", "prod", null),
            h => h < scaleUpHour ? 2m : 6m, "endpoint scaled from 2 to 6 instances for a launch on day 9 and never scaled back") with
            {
                // Its traffic needs 2 instances at 70% (58% each on 2 before the launch): 4 instances too many.
                Planted = ("scale-down", (_, _) => 4m * 1.515m * MonthHours),
            });
        list.Add(Endpoint("query-embed-prod", "ml.g5.xlarge", 1.408m, Tags("CC-100", "search", "search", "query-embed", "prod", null), _ => 2m));

        // NLP: an LLM feature on Bedrock, a 7B fine-tune on p5 (one failed start, one full run), a staging endpoint.
        list.Add(Gpu("i-0a1b2c3d4e5f60002", "llm-finetune-7b", "p5.48xlarge", 55.04m, Research, "us-east-1b", spot: false,
            Tags("CC-100", "nlp", "assistant", "llm-finetune-7b", "dev", "exp-ft-7b-lora"),
            h => (h >= (4 * 24) + 9 && h < (4 * 24) + 18) || (h >= (11 * 24) + 9 && h < (11 * 24) + 79) ? 1m : 0m));
        list.Add(Endpoint("assistant-staging", "ml.g5.xlarge", 1.408m, Tags("CC-100", "nlp", "assistant", "assistant-rag", "staging", null), _ => 1m));
        var tokenNoise = Enumerable.Range(0, days).Select(_ => 0.85m + ((decimal)random.Next(0, 31) / 100m)).ToArray();
        list.Add(new DemoResource
        {
            ResourceId = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4", ResourceName = "claude-sonnet-4 input",
            ResourceType = "Foundation Model", ServiceName = "Amazon Bedrock", ServiceCategory = "AI and Machine Learning", Account = Production,
            SkuId = "USE1-Claude-Sonnet-4-InputTokens", PricingUnit = "1K tokens", ListUnitPrice = 0.003m, Grain = DemoGrain.Day,
            ChargeDescription = "Claude Sonnet 4 input tokens", Tags = Tags("CC-100", "nlp", "assistant", "assistant-rag", "prod", null),
            Quantity = h => Math.Round((IsWeekend(start, h / 24) ? 21_000m : 42_000m) * tokenNoise[h / 24], 0),
        });
        list.Add(new DemoResource
        {
            ResourceId = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4", ResourceName = "claude-sonnet-4 output",
            ResourceType = "Foundation Model", ServiceName = "Amazon Bedrock", ServiceCategory = "AI and Machine Learning", Account = Production,
            SkuId = "USE1-Claude-Sonnet-4-OutputTokens", PricingUnit = "1K tokens", ListUnitPrice = 0.015m, Grain = DemoGrain.Day,
            ChargeDescription = "Claude Sonnet 4 output tokens", Tags = Tags("CC-100", "nlp", "assistant", "assistant-rag", "prod", null),
            Quantity = h => Math.Round((IsWeekend(start, h / 24) ? 4_000m : 8_500m) * tokenNoise[h / 24], 0),
        });

        // Vision: experiments on g5.12xlarge in the EU research account, notebooks left running by people who left,
        // and a checkpoint bucket that only ever grows.
        var experimentDays = ExperimentDays.Where(d => d < days).ToDictionary(d => d, _ => random.Next(8, 21));
        list.Add(Gpu("i-0a1b2c3d4e5f60003", "vision-detector-train", "g5.12xlarge", 5.672m, ResearchEu, "eu-west-1a", spot: false,
            Tags("CC-200", "vision", "catalog-vision", "vision-detector", "dev", "exp-aug-mosaic"),
            h => experimentDays.TryGetValue(h / 24, out var length) && h % 24 >= 8 && h % 24 < 8 + Math.Min(length, 16) ? 1m : 0m,
            region: "eu-west-1"));
        list.Add(Notebook("nb-vision-jdoe", "ml.p3.2xlarge", 3.825m, "j.doe", "notebook of j.doe, who left in June: running all month, never used"));
        list.Add(Notebook("nb-vision-mlee", "ml.g4dn.xlarge", 0.7364m, "m.lee", "notebook of m.lee, who left in August: running all month, never used"));
        list.Add(Storage("acme-ml-checkpoints", Research, 0.023m, Tags("CC-200", "vision", "catalog-vision", "vision-detector", "dev", null),
            d => 40_000m + (1_100m * d), days, "checkpoints of every experiment since 2024 kept in S3 Standard, never deleted"));

        // Recsys: the nightly batch job runs for two hours on an instance that stays up all day.
        list.Add(Gpu("i-0a1b2c3d4e5f60004", "reco-nightly-batch", "g5.2xlarge", 1.212m, Production, "us-east-1a", spot: false,
            Tags("CC-100", "recsys", "feed", "reco-twotower", "prod", null), _ => 1m,
            waste: "nightly job runs 01:00-03:00 on an instance that stays up 24 hours") with
            {
                Planted = ("off-hours", (cost, hours) => cost / hours * MonthHours * 154m / 168m),
            });
        // Its data volume is attached and read and written every hour: the healthy volume beside the unattached one.
        list.Add(new DemoResource
        {
            ResourceId = AttachedVolumeId, ResourceName = "reco-nightly-batch-data", ResourceType = "Volume", ServiceName = "Amazon Elastic Compute Cloud",
            ServiceCategory = "Storage", Account = Production, AvailabilityZone = "us-east-1a", SkuId = "USE1-EBS:VolumeUsage.gp3", PricingUnit = "GB-Mo",
            ListUnitPrice = 0.08m, Grain = DemoGrain.Day, ChargeDescription = "gp3 volume attached to reco-nightly-batch", Quantity = _ => Math.Round(200m / days, 6),
            Tags = Tags("CC-100", "recsys", "feed", "reco-twotower", "prod", null),
        });
        list.Add(Endpoint("reco-twotower-prod", "ml.g5.xlarge", 1.408m, Tags("CC-100", "recsys", "feed", "reco-twotower", "prod", null),
            h => h % 24 is >= 14 and < 22 ? 3m : h % 24 is >= 8 and < 14 ? 2m : 1m));

        // Platform: a shared GPU cluster under a savings plan, a feature sync across zones, datasets, monitoring.
        for (var node = 1; node <= 4; node++)
        {
            list.Add(new DemoResource
            {
                ResourceId = $"i-0c0ffee00000000{node}", ResourceName = $"gpu-cluster-node-{node}", ResourceType = "Instance",
                ServiceName = "Amazon Elastic Compute Cloud", ServiceCategory = "Compute", Account = Platform, AvailabilityZone = "us-east-1a",
                SkuId = "USE1-BoxUsage:g5.12xlarge", PricingUnit = "Hours", ListUnitPrice = 5.672m, BilledUnitPrice = 0m, EffectiveUnitPrice = 4.084m,
                PricingCategory = "Committed", CommitmentDiscountId = "arn:aws:savingsplans::333333333333:savingsplan/sp-gpu-cluster",
                ChargeDescription = "g5.12xlarge covered by Compute Savings Plan", Quantity = _ => 1m,
                Tags = Tags("CC-300", "platform", "shared-gpu-cluster", null, "prod", null),
            });
        }

        list.Add(new DemoResource
        {
            ResourceId = "arn:aws:savingsplans::333333333333:savingsplan/sp-gpu-cluster", ResourceName = "sp-gpu-cluster", ResourceType = "Savings Plan",
            ServiceName = "Savings Plans for AWS Compute usage", ServiceCategory = "Compute", Account = Platform, SkuId = "ComputeSP:1yrNoUpfront",
            PricingUnit = "Hours", ListUnitPrice = 16.336m, EffectiveUnitPrice = 0m, ChargeCategory = "Purchase",
            ChargeDescription = "1 year No Upfront Compute Savings Plan, recurring hourly fee", Quantity = _ => 1m,
            Tags = Tags("CC-300", "platform", "shared-gpu-cluster", null, "prod", null),
        });
        list.Add(new DemoResource
        {
            ResourceId = "feature-store-sync", ResourceName = "feature-store-sync us-east-1a<->us-east-1c", ResourceType = "Data Transfer",
            ServiceName = "AWS Data Transfer", ServiceCategory = "Networking", Account = Platform, AvailabilityZone = "us-east-1a",
            SkuId = "USE1-DataTransfer-Regional-Bytes", PricingUnit = "GB", ListUnitPrice = 0.01m, Grain = DemoGrain.Day,
            ChargeDescription = "Data transfer between availability zones (both directions)", Quantity = d => 36_000m + random.Next(0, 4_000),
            Tags = Tags("CC-300", "platform", "feature-store", null, "prod", null),
            Waste = "feature store syncs 18 TB a day between us-east-1a and us-east-1c; both sides pay $0.01/GB",
            Planted = ("cross-zone-transfer", (cost, hours) => cost / hours * MonthHours),
        });
        list.Add(Storage("acme-ml-datasets", Platform, 0.023m, Tags("CC-300", "platform", "datasets", null, "prod", null), _ => 120_000m, days, null));
        list.Add(new DemoResource
        {
            ResourceId = "cloudwatch-ml", ResourceName = "ML metrics and logs", ResourceType = "Metrics", ServiceName = "AmazonCloudWatch",
            ServiceCategory = "Management and Governance", Account = Platform, SkuId = "USE1-CW:MetricMonitorUsage", PricingUnit = "Metrics",
            ListUnitPrice = Math.Round(0.30m / days, 10), Grain = DemoGrain.Day, ChargeDescription = "Custom metrics (prorated daily)",
            Quantity = _ => 4_000m, Tags = Tags("CC-300", "platform", "observability", null, "prod", null),
        });
        list.Add(new DemoResource
        {
            ResourceId = "egress-model-downloads", ResourceName = "model artefact downloads", ResourceType = "Data Transfer",
            ServiceName = "AWS Data Transfer", ServiceCategory = "Networking", Account = Production, SkuId = "USE1-DataTransfer-Out-Bytes",
            PricingUnit = "GB", ListUnitPrice = 0.09m, Grain = DemoGrain.Day, ChargeDescription = "Data transfer out to the internet",
            Quantity = _ => 400m + random.Next(0, 200), Tags = Tags("CC-100", "search", "search", "ranker-v3", "prod", null),
        });

        // Sandbox: nobody tagged these.
        for (var i = 1; i <= 3; i++)
        {
            list.Add(new DemoResource
            {
                ResourceId = $"i-0ba5eba11000000{i}", ResourceName = $"sandbox-{i}", ResourceType = "Instance", ServiceName = "Amazon Elastic Compute Cloud",
                ServiceCategory = "Compute", Account = Sandbox, AvailabilityZone = "us-east-1d", SkuId = "USE1-BoxUsage:m5.2xlarge", PricingUnit = "Hours",
                ListUnitPrice = 0.384m, ChargeDescription = "m5.2xlarge Linux on-demand", Quantity = _ => 1m, Tags = null,
                Waste = "untagged sandbox instance",
                Planted = ("untagged", (_, _) => 0m),
            });
        }

        list.Add(new DemoResource
        {
            ResourceId = "vol-0deadbeef0000001", ResourceName = "", ResourceType = "Volume", ServiceName = "Amazon Elastic Compute Cloud",
            ServiceCategory = "Storage", Account = Sandbox, AvailabilityZone = "us-east-1d", SkuId = "USE1-EBS:VolumeUsage.gp3", PricingUnit = "GB-Mo",
            ListUnitPrice = 0.08m, Grain = DemoGrain.Day, ChargeDescription = "gp3 volume, unattached", Quantity = _ => Math.Round(2_000m / days, 6),
            Tags = null, Waste = "unattached, untagged EBS volume: billed all month, no I/O",

            // 2,000 GB of gp3 at $0.08 per GB-month, all of it once deleted.
            Planted = ("unattached-volume", (_, _) => 2_000m * 0.08m),
        });

        // A startup-programme credit, applied day by day as providers do.
        list.Add(new DemoResource
        {
            ResourceId = "", ResourceName = "", ResourceType = "", ServiceName = "AWS Credits", ServiceCategory = "Other", Account = Research,
            RegionId = "", SkuId = "Credit-ML-Program", PricingUnit = "", ListUnitPrice = -80m, ChargeCategory = "Credit", Grain = DemoGrain.Day,
            ChargeDescription = "ML startup programme credit", Quantity = _ => 1m,
        });
        return list;
    }

    /// <summary>
    /// The read and write operations (CloudWatch VolumeReadOps + VolumeWriteOps) of <see cref="AttachedVolumeId"/> in an
    /// hour of the day: heavy while the nightly job runs 01:00-03:00, the system's logging and caches the other hours.
    /// The unattached volume has none.
    /// </summary>
    public static decimal AttachedVolumeIoOps(int hourOfDay) => hourOfDay is >= 1 and < 3 ? 412_000m + (hourOfDay * 3_100m) : 1_800m + (hourOfDay * 37m);

    /// <summary>Extra always-on batch-inference workers, spread over teams, so benchmarks can ask for millions of rows.</summary>
    public static IEnumerable<DemoResource> Padding(Random random, int hours, long rows)
    {
        string[][] owners =
        [
            ["CC-100", "search", "search", "ranker-v3"], ["CC-100", "recsys", "feed", "reco-twotower"],
            ["CC-100", "nlp", "assistant", "assistant-rag"], ["CC-200", "vision", "catalog-vision", "vision-detector"],
        ];
        var count = (int)Math.Ceiling(Math.Max(0, rows) / (double)hours);
        for (var i = 0; i < count; i++)
        {
            var owner = owners[i % owners.Length];
            var environment = random.Next(0, 4) == 0 ? "staging" : "prod";
            yield return Gpu($"i-0f1ee7{i:D11}", $"batch-inference-{i}", "g5.xlarge", 1.006m, Production, "us-east-1b", spot: false,
                Tags(owner[0], owner[1], owner[2], owner[3], environment, null), _ => 1m);
        }
    }

    private static DemoResource Gpu(
        string id, string name, string instanceType, decimal onDemand, DemoAccount account, string zone, bool spot, string tags,
        Func<int, decimal> running, string? waste = null, string region = "us-east-1") => new()
        {
            ResourceId = id, ResourceName = name, ResourceType = "Instance", ServiceName = "Amazon Elastic Compute Cloud", ServiceCategory = "Compute",
            Account = account, RegionId = region, AvailabilityZone = zone, SkuId = $"{RegionCode(region)}-{(spot ? "SpotUsage" : "BoxUsage")}:{instanceType}",
            PricingUnit = "Hours", ListUnitPrice = onDemand, BilledUnitPrice = spot ? Math.Round(onDemand * SpotShare, 6) : null,
            PricingCategory = spot ? "Dynamic" : "Standard", ChargeDescription = $"{instanceType} Linux {(spot ? "spot" : "on-demand")}",
            Tags = tags, Quantity = running, Waste = waste,
        };

    private static DemoResource Endpoint(string name, string instanceType, decimal hourly, string tags, Func<int, decimal> instances, string? waste = null) => new()
    {
        ResourceId = $"arn:aws:sagemaker:us-east-1:222222222222:endpoint/{name}", ResourceName = name, ResourceType = "Endpoint",
        ServiceName = "Amazon SageMaker", ServiceCategory = "AI and Machine Learning", Account = Production, AvailabilityZone = "us-east-1b",
        SkuId = $"USE1-Host:{instanceType}", PricingUnit = "Hours", ListUnitPrice = hourly,
        ChargeDescription = $"SageMaker real-time inference {instanceType}", Tags = tags, Quantity = instances, Waste = waste,
    };

    private static DemoResource Notebook(string name, string instanceType, decimal hourly, string owner, string waste) => new()
    {
        ResourceId = $"arn:aws:sagemaker:us-east-1:111111111111:notebook-instance/{name}", ResourceName = name, ResourceType = "Notebook Instance",
        ServiceName = "Amazon SageMaker", ServiceCategory = "AI and Machine Learning", Account = Research, AvailabilityZone = "us-east-1a",
        SkuId = $"USE1-Notebk:{instanceType}", PricingUnit = "Hours", ListUnitPrice = hourly,
        ChargeDescription = $"SageMaker notebook {instanceType}", Quantity = _ => 1m, Waste = waste,
        Planted = ("idle", (cost, hours) => cost / hours * MonthHours),
        Tags = DemoBillingGenerator.TagJson(("cost_center", "CC-200"), ("team", "vision"), ("product", "catalog-vision"), ("environment", "dev"), ("owner", owner)),
    };

    private static DemoResource Storage(string bucket, DemoAccount account, decimal perGbMonth, string tags, Func<int, decimal> gigabytes, int days, string? waste) => new()
    {
        ResourceId = $"arn:aws:s3:::{bucket}", ResourceName = bucket, ResourceType = "Bucket", ServiceName = "Amazon Simple Storage Service",
        ServiceCategory = "Storage", Account = account, SkuId = "USE1-TimedStorage-ByteHrs", PricingUnit = "GB-Mo", ListUnitPrice = perGbMonth,
        Grain = DemoGrain.Day, ChargeDescription = "S3 Standard storage", Tags = tags, Waste = waste,

        // What is older than 30 days (all but the last 30 days' growth) moves from S3 Standard to Glacier Instant ($0.004).
        Planted = waste is null ? null
            : ("storage-tiering", (_, _) => (gigabytes(days - 1) - ((gigabytes(days - 1) - gigabytes(0)) / (days - 1) * 30m)) * (perGbMonth - 0.004m)),
        Quantity = h => Math.Round(gigabytes(h / 24) / days, 6),
    };

    private static string Tags(string costCenter, string team, string product, string? model, string environment, string? experiment)
    {
        var tags = new List<(string, string)> { ("cost_center", costCenter), ("team", team), ("product", product) };
        if (model is not null)
        {
            tags.Add(("model", model));
        }

        tags.Add(("environment", environment));
        if (experiment is not null)
        {
            tags.Add(("experiment", experiment));
        }

        return DemoBillingGenerator.TagJson([.. tags]);
    }

    private static string RegionCode(string region) => region == "eu-west-1" ? "EU" : "USE1";

    private static bool IsWeekday(DateTime start, int day, DayOfWeek weekday) => start.AddDays(day).DayOfWeek == weekday;

    private static bool IsWeekend(DateTime start, int day) => start.AddDays(day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
