using ModelMeter.Core.Attribution;
using ModelMeter.Core.Billing;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Reporting;

/// <summary>
/// The default category rules on the typical FOCUS rows of each provider's ML services (service, service category,
/// resource type, SKU, usage type and description as their exports write them), the tag override, the configured rules.
/// </summary>
public class WorkloadCategoriesTests
{
    private static string Classify(
        string service, string serviceCategory, string? resourceType = null, string? sku = null, string? usageType = null,
        string? description = null, string? run = null, string? tag = null, WorkloadCategories? categories = null) =>
        (categories ?? WorkloadCategories.Default).Classify(tag, new Dictionary<CategoryField, string?>
        {
            [CategoryField.Service] = service, [CategoryField.ServiceCategory] = serviceCategory, [CategoryField.ResourceType] = resourceType,
            [CategoryField.Sku] = sku, [CategoryField.UsageType] = usageType, [CategoryField.Description] = description, [CategoryField.Run] = run,
        });

    [Theory]
    // AWS: SageMaker training job vs endpoint vs notebook, Bedrock tokens, EC2 tagged with a run, S3, EBS, transfer.
    [InlineData("Amazon SageMaker", "AI and Machine Learning", "TrainingJob", "ABCD1234", "USE1-Train:ml.p4d.24xlarge", "$37.688 per Training ml.p4d.24xlarge hour", null, "training")]
    [InlineData("Amazon SageMaker", "AI and Machine Learning", "Endpoint", "USE1-Host:ml.g5.2xlarge", "USE1-Host:ml.g5.2xlarge", "$1.515 per Hosting ml.g5.2xlarge hour", null, "inference")]
    [InlineData("Amazon SageMaker", "AI and Machine Learning", "Notebook Instance", "USE1-Notebk:ml.p3.2xlarge", null, "SageMaker notebook ml.p3.2xlarge", null, "training")]
    [InlineData("Amazon Bedrock", "AI and Machine Learning", "Foundation Model", "USE1-Claude-Sonnet-4-InputTokens", null, "Claude Sonnet 4 input tokens", null, "inference")]
    [InlineData("Amazon Elastic Compute Cloud", "Compute", "Instance", "USE1-SpotUsage:p4d.24xlarge", "USE1-SpotUsage:p4d.24xlarge", "p4d.24xlarge Linux spot", "exp-ranker-weekly", "training")]
    [InlineData("Amazon Elastic Compute Cloud", "Compute", "Instance", "USE1-BoxUsage:m5.2xlarge", "BoxUsage:m5.2xlarge", "m5.2xlarge Linux on-demand", null, "other")]
    [InlineData("Amazon Simple Storage Service", "Storage", "Bucket", "USE1-TimedStorage-ByteHrs", "TimedStorage-ByteHrs", "S3 Standard storage", "exp-1", "storage")]
    [InlineData("Amazon Elastic Compute Cloud", "Storage", "Volume", "USE1-EBS:VolumeUsage.gp3", "EBS:VolumeUsage.gp3", "gp3 volume", null, "storage")]
    [InlineData("AWS Data Transfer", "Networking", "Data Transfer", "USE1-DataTransfer-Regional-Bytes", "USE1-DataTransfer-Regional-Bytes", "Data transfer between availability zones", null, "data_transfer")]
    [InlineData("Amazon Elastic Compute Cloud", "Compute", null, "ABC", "USE1-USE2-AWS-Out-Bytes", "$0.02 per GB - US East (N. Virginia) data transfer to US East (Ohio)", "exp-1", "data_transfer")]
    [InlineData("AmazonCloudWatch", "Management and Governance", "Metrics", "USE1-CW:MetricMonitorUsage", null, "Custom metrics", null, "other")]
    // Azure: Machine Learning training compute vs online endpoints, Azure OpenAI, VMs with a run tag, Storage, Bandwidth.
    [InlineData("Azure Machine Learning", "AI and Machine Learning", "microsoft.machinelearningservices/workspaces/computes", "NC6s v3", null, "NC6s v3 training cluster", null, "training")]
    [InlineData("Azure Machine Learning", "AI and Machine Learning", "microsoft.machinelearningservices/workspaces/onlineendpoints", "D4s v5", null, "Managed online endpoint", null, "inference")]
    [InlineData("Cognitive Services", "AI and Machine Learning", "microsoft.cognitiveservices/accounts", "gpt-4o-input-regional", null, "gpt-4o Inp regnl Tokens", null, "inference")]
    [InlineData("Virtual Machines", "Compute", "microsoft.compute/virtualmachines", "NC8as T4 v3", null, "NC8as T4 v3", "run-42", "training")]
    [InlineData("Storage", "Storage", "microsoft.storage/storageaccounts", "Hot LRS Data Stored", null, "Hot LRS Data Stored", null, "storage")]
    [InlineData("Bandwidth", "Networking", null, "Standard Data Transfer Out", null, "Standard Data Transfer Out", null, "data_transfer")]
    // Google Cloud: Vertex AI training vs online prediction, Compute Engine GPUs with a run label, Cloud Storage, egress.
    [InlineData("Vertex AI", "AI and Machine Learning", null, "6F81-5844-456A", null, "Custom Training: Nvidia A100 GPU running in Americas", null, "training")]
    [InlineData("Vertex AI", "AI and Machine Learning", null, "1B2C-3D4E-5F60", null, "Online prediction node hours", null, "inference")]
    [InlineData("Compute Engine", "Compute", "instance", "A1B2-C3D4-E5F6", null, "Nvidia Tesla A100 GPU running in Americas", "exp-7", "training")]
    [InlineData("Cloud Storage", "Storage", null, "E5F6-0000-1111", null, "Standard Storage US Multi-region", null, "storage")]
    [InlineData("Compute Engine", "Compute", null, "9A9A-0000-2222", null, "Network Inter Zone Egress", null, "data_transfer")]
    public void DefaultRules_PutEachProvidersTypicalServiceInItsCategory(
        string service, string serviceCategory, string? resourceType, string? sku, string? usageType, string? description, string? run, string expected)
    {
        Classify(service, serviceCategory, resourceType, sku, usageType, description, run).ShouldBe(expected);
    }

    [Fact]
    public void ACategoryTag_WinsOverTheRules_AndIsNormalised()
    {
        Classify("Amazon SageMaker", "AI and Machine Learning", "Endpoint", "USE1-Host:ml.g5.xlarge", tag: "Batch Inference").ShouldBe("batch_inference");
        Classify("Amazon Elastic Compute Cloud", "Compute", tag: "Data-Transfer").ShouldBe("data_transfer");
    }

    [Fact]
    public void ConfiguredRules_ComeBeforeTheDefaults_AndNameTheirPlaceWhenWrong()
    {
        var config = new CategoriesConfig
        {
            Rules = [new CategoryRuleConfig { Category = "inference", Service = "Amazon Elastic Compute Cloud", Sku = "*BoxUsage:g5.*" }],
        };
        var categories = config.Build("modelmeter.yaml");

        Classify("Amazon Elastic Compute Cloud", "Compute", sku: "USE1-BoxUsage:g5.2xlarge", run: "exp-1", categories: categories).ShouldBe("inference");
        Classify("Amazon Elastic Compute Cloud", "Compute", sku: "USE1-BoxUsage:m5.2xlarge", run: "exp-1", categories: categories).ShouldBe("training");
        Should.Throw<UserInputException>(() => new CategoriesConfig { Rules = [new CategoryRuleConfig { Category = "inference" }] }.Build("modelmeter.yaml"))
            .Message.ShouldContain("categories.rules[0]");
    }

    [Fact]
    public void TheCategory_IsADimensionOfReports_ClassifiedFromTheGroupsTheStoreReturns()
    {
        // Given: the store's groups by the fields the rules read (as CostStoreQueries asks for them).
        var query = new CostQuery { By = [new TagDimension("team"), WorkloadDimension.Instance], Where = [ReportArguments.ParseFilter("category!=other")] };
        var expanded = WorkloadReport.Expand(query, WorkloadCategories.Default);
        expanded.By.Count.ShouldBe(1 + WorkloadCategories.Columns.Count + WorkloadCategories.DefaultTagKeys.Count + WorkloadCategories.DefaultRunTagKeys.Count);
        expanded.Where.ShouldBeEmpty();
        string[] Fields(string team, string service, string sku, string? tag = null, string? run = null) =>
            [team, "aws", service, "Compute", "Instance", sku, MissingValue.None, "x", tag ?? "(untagged)", "(untagged)", run ?? "(untagged)", "(untagged)", "(untagged)", "(untagged)"];
        var rows = new List<CostRow>
        {
            new(null, Fields("search", "Amazon SageMaker", "USE1-Host:ml.g5.xlarge"), "USD", 10m),
            new(null, Fields("search", "Amazon SageMaker", "USE1-Host:ml.g5.2xlarge"), "USD", 5m),
            new(null, Fields("search", "Amazon Elastic Compute Cloud", "USE1-BoxUsage:p4d.24xlarge", run: "exp-1"), "USD", 7m),
            new(null, Fields("search", "Amazon Elastic Compute Cloud", "USE1-BoxUsage:m5.large"), "USD", 3m),
            new(null, Fields("nlp", "internal", "personnel", tag: "personnel"), "USD", 100m),
        };

        // When
        var result = WorkloadReport.Collapse(query, rows, TagPolicy.Default);

        // Then: one row per team and category, "other" filtered out.
        result.OrderBy(r => r.Values[0], StringComparer.Ordinal).ThenBy(r => r.Values[1], StringComparer.Ordinal)
            .Select(r => (r.Values[0], r.Values[1], r.Cost))
            .ShouldBe([("nlp", "personnel", 100m), ("search", "inference", 15m), ("search", "training", 7m)]);
    }

    [Fact]
    public void ReportArguments_ReadCategoryAsTheWorkloadDimension()
    {
        ReportArguments.ParseBy("tag:product,category").ShouldBe([new TagDimension("product"), WorkloadDimension.Instance]);
        ReportArguments.ParseFilter("category=inference").Dimension.ShouldBe(WorkloadDimension.Instance);
    }

    [Theory]
    [InlineData("42000.00", 31, "1354.84", 27, "1354.83")]
    [InlineData("100", 3, "33.34", 1, "33.33")]
    [InlineData("-10.00", 4, "-2.50", 4, "-2.50")]
    [InlineData("0.0000000181", 2, "0.0000000091", 1, "0.0000000090")]
    public void SplitEvenly_GivesEqualDailySharesThatAddUpExactly(string amount, int days, string first, int firstCount, string rest)
    {
        var total = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        var parts = InternalCosts.SplitEvenly(total, days);

        parts.Count.ShouldBe(days);
        parts.Sum().ShouldBe(total);
        parts.Take(firstCount).ShouldAllBe(p => p == decimal.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        parts.Skip(firstCount).ShouldAllBe(p => p == decimal.Parse(rest, System.Globalization.CultureInfo.InvariantCulture));
    }
}
