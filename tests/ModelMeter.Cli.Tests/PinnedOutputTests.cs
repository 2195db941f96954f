using System.Text;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// The help text and one table per command, pinned as expectation files (as Spectre.Console pins its widgets), so a
/// rendering change is a visible diff in review. After an intended change, regenerate them with
/// <c>MODELMETER_UPDATE_EXPECTATIONS=1 ./test.sh --filter PinnedOutputTests</c> and read the diff.
/// </summary>
public sealed class PinnedOutputTests
{
    private const string Config = """
        tags:
          keys:
            team:
              aliases: [squad]
          required:
            - scope: all
              keys: [team]
        allocation:
          rules:
            - name: shared-storage
              pool: { service: Amazon S3 }
              target: team
              method: proportional
        """;

    /// <summary>The seed KPIs of the README.</summary>
    private const string Kpis = """
        kpis:
          reduce_cost:
            description: Spend less for the same outcome.
          cost_per_prediction:
            parent: reduce_cost
            description: What one prediction of the nlp models costs.
            formula: cost(tag:team=nlp) / business(predictions_served, team=nlp)
            target: 0.0002
            direction: below
            unit: USD
          inference_cost_trend:
            parent: reduce_cost
            description: Cost per prediction against the previous period (-0.1 = 10% cheaper).
            formula: (cost(tag:team=nlp) / business(predictions_served, team=nlp)) / previous(cost(tag:team=nlp) / business(predictions_served, team=nlp)) - 1
            target: 0
            direction: below
          cost_per_active_user:
            formula: cost() / business(active_users)
            target: 0.5
            direction: below
            unit: USD
          gpu_utilisation_serving:
            formula: mean(gpu_utilization_percent, environment=prod)
            target: 70
            direction: above
            unit: "%"
          gpu_utilisation_training:
            formula: mean(gpu_utilization_percent, environment=training)
            target: 80
            direction: above
            unit: "%"
          training_cost_efficiency:
            description: Training cost per point of NDCG@10 gained over the previous period's run.
            formula: cost(tag:experiment=ranker-v3) / ((run_metric(ranker-v3, ndcg_at_10) - previous(run_metric(ranker-v3, ndcg_at_10))) * 100)
            unit: USD
          week_over_week_cost_change:
            description: Alert when spend jumps by more than half (use --grain week).
            formula: cost() / previous(cost()) - 1
            target: 0.5
            direction: below
        """;

    public static TheoryData<string, string[]> Cases() => new()
    {
        { "help", ["--help"] },
        { "help-import", ["import", "--help"] },
        { "help-import-focus", ["import", "focus", "--help"] },
        { "help-import-aws-cur", ["import", "aws-cur", "--help"] },
        { "help-report", ["report", "--help"] },
        { "help-allocate", ["allocate", "--help"] },
        { "help-tags", ["tags", "--help"] },
        { "help-check", ["check", "--help"] },
        { "help-estimate", ["estimate", "--help"] },
        { "help-catalog", ["catalog", "--help"] },
        { "help-demo", ["demo", "--help"] },
        { "help-budget", ["budget", "--help"] },
        { "help-forecast", ["forecast", "--help"] },
        { "help-anomalies", ["anomalies", "--help"] },
        { "help-alert", ["alert", "--help"] },
        { "help-recommend", ["recommend", "--help"] },
        { "recommend", ["recommend", "--min-saving", "0"] },
        { "recommend-exec", ["recommend", "--config", "exec.yaml", "--min-saving", "0", "--exec", "--yes"] },
        { "recommend-history", ["recommend", "--history"] },
        { "import-focus", ["import", "focus", "teams.csv", "--store", "other.duckdb"] },
        { "import-focus-refused", ["import", "focus", "bad.csv"] },
        { "import-aws-cur", ["import", "aws-cur", ExportFixtures.AwsCur2, "--store", "other.duckdb"] },
        { "import-gcp-billing", ["import", "gcp-billing", ExportFixtures.GcpCsv, "--store", "other.duckdb"] },
        { "import-azure-cost-dry-run", ["import", "azure-cost", ExportFixtures.AzureEaAmortized, "--dry-run"] },
        { "imports", ["imports"] },
        { "report-by-team", ["report", "--by", "tag:team"] },
        { "report-by-team-and-category-markdown", ["report", "--by", "tag:team,ServiceCategory", "--format", "markdown"] },
        { "report-by-day-chart", ["report", "--grain", "day", "--chart"] },
        { "report-by-team-csv", ["report", "--by", "tag:team", "--format", "csv"] },
        { "report-hierarchy", ["report", "--by", "hierarchy", "--depth", "2", "--config", "policy.yaml"] },
        { "tags", ["tags", "--config", "policy.yaml"] },
        { "allocate", ["allocate", "--config", "policy.yaml"] },
        { "allocate-explain", ["allocate", "--config", "policy.yaml", "--explain", "tag:team=nlp"] },
        { "check-table", ["check", "job.yaml", "--budget", "1000", "--format", "table"] },
        { "check-markdown", ["check", "job.yaml", "--budget", "1000"] },
        { "estimate", ["estimate", "job.yaml", "--explain"] },
        { "catalog-search", ["catalog", "search", "p5.48xlarge"] },
        { "help-serve", ["serve", "--help"] },
        { "help-usage", ["usage", "--help"] },
        { "help-keys", ["keys", "--help"] },
        { "help-keys-create", ["keys", "create", "--help"] },
        { "usage", ["usage", "--by", "team", "--month", "2026-10"] },
        { "usage-by-day", ["usage", "--metric", "gpu_hours", "--grain", "day", "--by", "team"] },
        { "kpi", ["kpi", "--config", "kpis.yaml"] },
        { "kpi-tree", ["kpi", "--config", "kpis.yaml", "--tree"] },
        { "unit-by-team", ["unit", "--by", "tag:team", "--config", "policy.yaml", "--price", "0.001", "--reconcile"] },
        { "help-tco", ["tco", "--help"] },
        { "help-what-if", ["what-if", "--help"] },
        { "import-costs", ["import", "costs", "costs.csv", "--amortise", "--store", "other.duckdb"] },
        { "report-by-category", ["report", "--by", "category"] },
        { "tco-by-team", ["tco", "--by", "tag:team"] },
        { "what-if-llm", ["what-if", "llm", "--as", "gpt-4.1-mini", "--month", "2026-10", "--explain"] },
        { "what-if-instance", ["what-if", "instance", "--resource", "i-nlp", "--as", "g5.xlarge", "--month", "2026-10", "--explain"] },
        { "what-if-frequency", ["what-if", "frequency", "--experiment", "ranker", "--x", "2", "--month", "2026-10", "--explain"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Output_IsAsPinned(string name, string[] args)
    {
        using var cli = new CliHarness();
        cli.Write(Bill(), "teams.csv");
        cli.WriteText("BillingAccountId,ChargePeriodStart\n", "bad.csv");
        cli.WriteText(Config.Replace("\r", "", StringComparison.Ordinal) + "\n", "policy.yaml");
        cli.WriteText("kind: envelope\nname: nightly retrain\ninputs:\n  price_per_hour: 3.06\n  hours: 120\n", "job.yaml");
        foreach (var fixture in new[] { ExportFixtures.AwsCur2, ExportFixtures.GcpCsv, ExportFixtures.AzureEaAmortized })
        {
            ExportFixtures.CopyTo(cli.WorkingDirectory, fixture);
        }

        (await cli.Run("import", "focus", "teams.csv", "--quiet")).ExitCode.ShouldBe(0);
        if (name.StartsWith("usage", StringComparison.Ordinal))
        {
            cli.WriteText("start,end,team,metric,value\n2026-10-01T22:00:00Z,2026-10-02T02:00:00Z,nlp,gpu_hours,32\n2026-10-01,2026-10-01,Vision,gpu_hours,16\n2026-10-02T10:00:00Z,2026-10-02T11:00:00Z,nlp,requests,1200\n", "usage.csv");
            (await cli.Run("import", "usage", "usage.csv")).ExitCode.ShouldBe(0);
        }

        if (name.StartsWith("recommend-", StringComparison.Ordinal))
        {
            cli.WriteText("recommendations:\n  exec:\n    command: \"echo ticket opened\"\n", "exec.yaml");
            (await cli.Run("recommend", "--min-saving", "0")).ExitCode.ShouldBe(0, "a whole-bill run records its findings for --history");
        }

        cli.WriteText(Core.Billing.InternalCosts.Template, "costs.csv");
        if (name.StartsWith("tco", StringComparison.Ordinal) || name.StartsWith("report-by-category", StringComparison.Ordinal))
        {
            (await cli.Run("import", "costs", "costs.csv", "--quiet")).ExitCode.ShouldBe(0);
        }

        if (name.StartsWith("what-if", StringComparison.Ordinal))
        {
            cli.WriteText(
                "{\"timestamp\":\"2026-10-05T14:00:00Z\",\"provider\":\"openai\",\"model\":\"gpt-4.1\",\"usage\":{\"prompt_tokens\":120000,\"completion_tokens\":30000,\"prompt_tokens_details\":{\"cached_tokens\":80000}},\"tags\":{\"team\":\"search\",\"feature\":\"answers\"}}\n" +
                "{\"timestamp\":\"2026-10-06T09:00:00Z\",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4\",\"usage\":{\"input_tokens\":50000,\"cache_read_input_tokens\":200000,\"cache_creation_input_tokens\":10000,\"output_tokens\":8000},\"tags\":{\"team\":\"nlp\",\"feature\":\"assistant\"}}\n",
                "calls.jsonl");
            (await cli.Run("import", "llm-usage", "calls.jsonl")).ExitCode.ShouldBe(0);
        }

        if (name == "what-if-frequency")
        {
            MlflowStores.WriteMlruns(cli.Temp.File("mlruns"), Commands.RunsCommandTests.Runs());
            (await cli.Run("import", "mlflow", "--path", "mlruns")).ExitCode.ShouldBe(0);
        }

        if (name.StartsWith("unit", StringComparison.Ordinal) || name.StartsWith("kpi", StringComparison.Ordinal))
        {
            cli.WriteText("period,team,metric,value\n2026-10,nlp,predictions_served,300000\n2026-10,nlp,active_users,120\n2026-10,nlp,revenue,900\n2026-10,search,predictions_served,50000\n", "metrics.csv");
            (await cli.Run("import", "metrics", "metrics.csv")).ExitCode.ShouldBe(0);
            cli.WriteText(Kpis.Replace("\r", "", StringComparison.Ordinal) + "\n", "kpis.yaml");
        }


        var run = await cli.Run(args);

        var text = new StringBuilder()
            .Append("$ modelmeter ").AppendJoin(' ', args).Append('\n')
            .Append("exit ").Append(run.ExitCode).Append('\n')
            .Append("--- stdout\n").Append(Normalize(run.Out, cli.WorkingDirectory))
            .Append("--- stderr\n").Append(Normalize(run.Err, cli.WorkingDirectory))
            .ToString();
        var path = Path.Combine(ExpectationsDirectory(), name + ".txt");
        if (Environment.GetEnvironmentVariable("MODELMETER_UPDATE_EXPECTATIONS") == "1")
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
            return;
        }

        File.Exists(path).ShouldBeTrue($"No expectation {path}; create it with MODELMETER_UPDATE_EXPECTATIONS=1 and review it.");
        text.ShouldBe(File.ReadAllText(path), $"The output of `modelmeter {string.Join(' ', args)}` changed. If intended, regenerate {name}.txt (see the class comment) and review the diff.");
    }

    /// <summary>October, EffectiveCost 100 USD: nlp 30, vision 35 (tagged squad=vision), search 15, a shared S3 bucket 20.</summary>
    private static FocusCsv Bill() => new FocusCsv()
        .Row(("EffectiveCost", "30"), ("Tags", "{\"team\":\"nlp\"}"), ("ResourceId", "i-nlp"))
        .Row(("EffectiveCost", "35"), ("Tags", "{\"squad\":\"vision\"}"), ("ResourceId", "i-vision"))
        .Row(("EffectiveCost", "15"), ("Tags", "{\"team\":\"search\"}"), ("ResourceId", "i-search"))
        .Row(("EffectiveCost", "20"), ("Tags", ""), ("ServiceName", "Amazon S3"), ("ServiceCategory", "Storage"), ("ResourceId", "bucket-shared"));

    /// <summary>Temporary folders differ per run; trailing spaces are the console's padding, not content.</summary>
    internal static string Normalize(string text, string workingDirectory)
    {
        var lines = text.Replace(workingDirectory, "<dir>", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        var joined = string.Join('\n', lines).TrimEnd('\n');
        return joined.Length == 0 ? "" : joined + "\n";
    }

    internal static string ExpectationsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelMeter.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "ModelMeter.Cli.Tests", "Expectations");
            }
        }

        throw new DirectoryNotFoundException("ModelMeter.slnx not found above " + AppContext.BaseDirectory);
    }
}
