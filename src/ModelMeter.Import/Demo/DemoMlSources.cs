using System.Globalization;
using System.Text;

namespace ModelMeter.Import.Demo;

/// <summary>What the demo's ML source files hold, for the demo's printout.</summary>
public sealed record DemoMlSummary(string ServingFile, string MetricsFile, string LlmFile, string MlrunsFolder, int Runs, int LlmCalls);

/// <summary>
/// The demo organisation's ML sources beside its bill, consistent with it (the same models, resources and days):
/// serving usage (predictions per model per hour, the attached volume's I/O, and GPU utilisation and memory per GPU resource in its billed hours:
/// see <see cref="DemoGpuUtilisation"/>), LLM calls of the assistant, business metrics (active
/// users, revenue) and an <c>mlruns</c> file store with the month's training runs (weekly ranker retrains on their
/// billed instance, a 7B fine-tune with a failed start, vision experiments with nested tuning runs). Deterministic for a seed.
/// </summary>
public static class DemoMlSources
{
    /// <summary>The days (0-based) the bill runs the vision training instance: DemoFleet's experiment days.</summary>
    private static readonly int[] VisionExperimentDays = [2, 3, 9, 16, 23];

    public static DemoMlSummary Write(string folder, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(unchecked((options.Seed * 104729) + 3));
        var start = options.Month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var days = options.Month.AddMonths(1).DayNumber - options.Month.DayNumber;
        Directory.CreateDirectory(folder);
        var month = options.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var serving = Path.Combine(folder, $"serving-{month}.csv");
        File.WriteAllText(serving, Serving(random, options, start, days), new UTF8Encoding(false));
        var metrics = Path.Combine(folder, $"business-{month}.csv");
        File.WriteAllText(metrics, Business(month), new UTF8Encoding(false));
        var llm = Path.Combine(folder, $"llm-calls-{month}.jsonl");
        var (llmText, calls) = LlmCalls(random, start, days);
        File.WriteAllText(llm, llmText, new UTF8Encoding(false));
        var mlruns = Path.Combine(folder, "mlruns");
        var runs = Mlruns(random, mlruns, start, days);
        return new DemoMlSummary(serving, metrics, llm, mlruns, runs, calls);
    }

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Hourly predictions per served model, GPU utilisation and memory per GPU resource of the bill and the attached volume's I/O operations, as an
    /// <c>import usage</c> CSV.
    /// </summary>
    private static string Serving(Random random, DemoOptions options, DateTime start, int days)
    {
        var gpus = DemoGpuUtilisation.Resources(options, start, days * 24);
        var gpuRandom = new Random(unchecked((options.Seed * 7727) + 11));
        var text = new StringBuilder("timestamp,model,resource_id,environment,metric,value\n");
        for (var h = 0; h < days * 24; h++)
        {
            var at = start.AddHours(h);
            var stamp = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var hour = h % 24;
            var weekend = at.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var daytime = hour is >= 8 and < 22 ? 1.0 : 0.35;
            var noise = 0.9 + (random.NextDouble() * 0.2);

            // The ranker's traffic is flat across the launch: the endpoint scaled from 2 to 6 instances on day 9 serves
            // the same predictions, so its cost per prediction rises, and its GPUs idle.
            var ranker = Math.Round(70_000 * daytime * (weekend ? 0.7 : 1) * noise);
            var reco = Math.Round((hour is >= 14 and < 22 ? 45_000 : hour is >= 8 and < 14 ? 30_000 : 9_000) * noise);
            var embed = Math.Round(25_000 * daytime * noise);
            text.Append(I($"{stamp},ranker-v3,,prod,predictions,{ranker}\n"));
            text.Append(I($"{stamp},reco-twotower,,prod,predictions,{reco}\n"));
            text.Append(I($"{stamp},query-embed,,prod,predictions,{embed}\n"));
            foreach (var gpu in gpus)
            {
                if (gpu.Sample(h, at, gpuRandom) is not { } sample)
                {
                    continue;
                }

                text.Append(I($"{stamp},{Csv(gpu.Model)},{Csv(gpu.ResourceId)},{gpu.Environment},gpu_utilization_percent,{sample.Percent}\n"));
                text.Append(I($"{stamp},{Csv(gpu.Model)},{Csv(gpu.ResourceId)},{gpu.Environment},gpu_memory_used_bytes,{sample.MemoryBytes}\n"));
            }

            // The attached volume's I/O (the unattached one has none, so recommend finds it).
            text.Append(I($"{stamp},reco-twotower,{DemoFleet.AttachedVolumeId},prod,volume_io_ops,{DemoFleet.AttachedVolumeIoOps(hour)}\n"));
        }

        return text.ToString();
    }

    /// <summary>A CSV field as it is: the demo's ids and models never need quoting (ARNs hold colons and slashes only).</summary>
    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? throw new InvalidOperationException($"demo value '{value}' needs quoting") : value;

    private static string Business(string month) =>
        "period,model,metric,value\n" +
        I($"{month},assistant-rag,active_users,5200\n") +
        I($"{month},assistant-rag,revenue,26000\n") +
        I($"{month},ranker-v3,revenue,41000\n") +
        I($"{month},reco-twotower,revenue,18500\n");

    /// <summary>The assistant's calls: Claude Sonnet 4 with prompt caching, and a nightly gpt-4.1-mini batch labelling job.</summary>
    private static (string Text, int Calls) LlmCalls(Random random, DateTime start, int days)
    {
        var text = new StringBuilder();
        var calls = 0;
        for (var d = 0; d < days; d++)
        {
            for (var c = 0; c < 40; c++)
            {
                var at = start.AddDays(d).AddSeconds(random.Next(8 * 3600, 22 * 3600));
                var input = random.Next(800, 3000);
                var cached = random.Next(0, 3) == 0 ? 0 : 12_000;
                var write = cached == 0 ? 12_000 : 0;
                var output = random.Next(200, 900);
                var user = random.Next(1000, 6200);
                text.Append(I($"{{\"timestamp\":\"{at:yyyy-MM-ddTHH:mm:ssZ}\",\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-20250514\",\"usage\":{{\"input_tokens\":{input},\"cache_read_input_tokens\":{cached},\"cache_creation_input_tokens\":{write},\"output_tokens\":{output}}},\"tags\":{{\"team\":\"nlp\",\"feature\":\"assistant\",\"model\":\"assistant-rag\",\"user\":\"u-{user}\"}}}}"));
                text.Append('\n');
                calls++;
            }

            var night = start.AddDays(d).AddHours(2);
            var prompt = random.Next(900_000, 1_300_000);
            var completion = random.Next(200_000, 320_000);
            text.Append(I($"{{\"timestamp\":\"{night:yyyy-MM-ddTHH:mm:ssZ}\",\"provider\":\"openai\",\"model\":\"gpt-4.1-mini\",\"batch\":true,\"usage\":{{\"prompt_tokens\":{prompt},\"completion_tokens\":{completion},\"prompt_tokens_details\":{{\"cached_tokens\":0}}}},\"tags\":{{\"team\":\"nlp\",\"feature\":\"nightly-labels\",\"model\":\"assistant-rag\"}}}}"));
            text.Append('\n');
            calls++;
        }

        return (text.ToString(), calls);
    }

    /// <summary>An MLflow file store: experiment folders with meta.yaml, run folders with meta.yaml, params, tags and metrics.</summary>
    private static int Mlruns(Random random, string root, DateTime start, int days)
    {
        Directory.CreateDirectory(Path.Combine(root, ".trash"));
        var runs = 0;
        var ndcg = 0.402;

        // ranker-v3: retrained every Monday 02:00-16:00 on the billed spot p4d (resource_id: billed cost).
        for (var d = 0; d < days; d++)
        {
            var day = start.AddDays(d);
            if (day.DayOfWeek != DayOfWeek.Monday)
            {
                continue;
            }

            ndcg += 0.002 + (random.NextDouble() * 0.006);
            Run(root, "1", "ranker-weekly", I($"rk{d:00}"), I($"weekly-{day:MMdd}"), 3, day.AddHours(2), day.AddHours(16),
                new() { ["estimator"] = "XGBRanker", ["instance_type"] = "p4d.24xlarge", ["learning_rate"] = "0.05" },
                new() { ["resource_id"] = "i-0a1b2c3d4e5f60001", ["team"] = "search", ["model"] = "ranker-v3", ["mlflow.source.name"] = "train_ranker.py" },
                new() { ["ndcg_at_10"] = Math.Round(ndcg, 4) });
            runs++;
        }

        // The 7B fine-tune: a failed start on day 5 (9 hours), then the full run from day 12 (70 hours).
        var ft = start.AddDays(4).AddHours(9);
        Run(root, "2", "ft-7b-lora", "ft01", "lora-r16-oom", 4, ft, ft.AddHours(9),
            new() { ["estimator"] = "LoRA", ["instance_type"] = "p5.48xlarge", ["lora_r"] = "16" },
            new() { ["resource_id"] = "i-0a1b2c3d4e5f60002", ["team"] = "nlp", ["model"] = "llm-finetune-7b" }, new() { ["eval_loss"] = double.NaN });
        var full = start.AddDays(11).AddHours(9);
        Run(root, "2", "ft-7b-lora", "ft02", "lora-r16", 3, full, full.AddHours(70),
            new() { ["estimator"] = "LoRA", ["instance_type"] = "p5.48xlarge", ["lora_r"] = "16" },
            new() { ["resource_id"] = "i-0a1b2c3d4e5f60002", ["team"] = "nlp", ["model"] = "llm-finetune-7b" }, new() { ["eval_loss"] = 1.284 });
        runs += 2;

        // Vision: each experiment day a tuning parent with three nested trials (one killed), on the g5.12xlarge.
        foreach (var d in VisionExperimentDays.Where(d => d < days))
        {
            var parent = I($"av{d:00}");
            var at = start.AddDays(d).AddHours(8);
            var hours = random.Next(4, 9);
            Run(root, "3", "aug-mosaic", parent, I($"hpo-day{d + 1}"), 3, at, at.AddHours(hours),
                new() { ["estimator"] = "YOLOv8", ["instance_type"] = "g5.12xlarge" },
                new() { ["resource_id"] = "i-0a1b2c3d4e5f60003", ["team"] = "vision", ["model"] = "vision-detector" }, new() { ["map50"] = Math.Round(0.55 + (random.NextDouble() * 0.1), 4) });
            for (var t = 0; t < 3; t++)
            {
                var trialStart = at.AddMinutes(t * 20);
                var status = t == 2 ? 5 : 3;
                Run(root, "3", "aug-mosaic", I($"{parent}t{t}"), I($"trial-{t}"), status, trialStart, trialStart.AddHours(hours - 1),
                    new() { ["estimator"] = "YOLOv8", ["instance_type"] = "g5.12xlarge", ["mosaic_p"] = I($"{0.3 + (t * 0.2):0.0}") },
                    new() { ["mlflow.parentRunId"] = parent, ["resource_id"] = "i-0a1b2c3d4e5f60003", ["team"] = "vision" },
                    new() { ["map50"] = Math.Round(0.5 + (random.NextDouble() * 0.12), 4) });
            }

            runs += 4;
        }

        return runs;
    }

    private static void Run(
        string root, string experimentId, string experiment, string runId, string name, int status, DateTime start, DateTime end,
        Dictionary<string, string> parameters, Dictionary<string, string> tags, Dictionary<string, double> metrics)
    {
        var folder = Path.Combine(root, experimentId);
        if (!File.Exists(Path.Combine(folder, "meta.yaml")))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "meta.yaml"), I($"artifact_location: mlruns/{experimentId}\ncreation_time: {Ms(start)}\nexperiment_id: '{experimentId}'\nlast_update_time: {Ms(start)}\nlifecycle_stage: active\nname: {experiment}\n"));
        }

        var dir = Path.Combine(folder, runId);
        foreach (var sub in new[] { "metrics", "params", "tags", "artifacts" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
        }

        File.WriteAllText(Path.Combine(dir, "meta.yaml"),
            I($"artifact_uri: mlruns/{experimentId}/{runId}/artifacts\nend_time: {Ms(end)}\nentry_point_name: ''\nexperiment_id: '{experimentId}'\n") +
            I($"lifecycle_stage: active\nrun_id: {runId}\nrun_name: {name}\nrun_uuid: {runId}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n") +
            I($"start_time: {Ms(start)}\nstatus: {status}\ntags: []\nuser_id: demo\n"));
        foreach (var (key, value) in parameters)
        {
            File.WriteAllText(Path.Combine(dir, "params", key), value);
        }

        foreach (var (key, value) in tags)
        {
            File.WriteAllText(Path.Combine(dir, "tags", key), value);
        }

        foreach (var (key, value) in metrics)
        {
            var text = double.IsNaN(value) ? "nan" : value.ToString("R", CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(dir, "metrics", key), I($"{Ms(end)} {text} 0\n"));
        }
    }

    private static long Ms(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalMilliseconds;
}
