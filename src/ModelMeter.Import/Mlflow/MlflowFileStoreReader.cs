using System.Globalization;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using YamlDotNet.RepresentationModel;

namespace ModelMeter.Import.Mlflow;

/// <summary>
/// Reads MLflow's file store (an <c>mlruns</c> folder), as MLflow's <c>FileStore</c> lays it out: one folder per
/// experiment (<c>meta.yaml</c> with <c>experiment_id</c>, <c>name</c>, <c>lifecycle_stage</c>), beside <c>.trash</c>
/// (deleted experiments) and <c>models</c> (the model registry); in it one folder per run (<c>meta.yaml</c> with
/// <c>run_id</c>, <c>run_name</c>, <c>status</c> as an integer code, <c>start_time</c>/<c>end_time</c> in epoch
/// milliseconds, <c>user_id</c>, <c>lifecycle_stage</c>), and beside the runs <c>tags</c>, <c>datasets</c>,
/// <c>traces</c>. A run folder holds <c>metrics/&lt;key&gt;</c> (lines <c>timestamp value [step]</c>; keys with
/// <c>/</c> are sub-folders), <c>params/&lt;key&gt;</c> and <c>tags/&lt;key&gt;</c> (the file's text is the value).
/// Deleted experiments and runs are left out, as MLflow's default view does. Folders without a meta.yaml are not
/// experiments or runs (MLflow skips them too) and are named in the warnings. Links are never followed.
/// </summary>
public static class MlflowFileStoreReader
{
    private static readonly string[] NotExperiments = [".trash", "models"];
    private static readonly string[] NotRuns = ["tags", "datasets", "traces"];

    public static MlflowRead Read(string root, IReadOnlyList<string> experiments)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(experiments);
        if (!Directory.Exists(root))
        {
            throw new UserInputException($"MLflow folder '{root}' does not exist.");
        }

        var warnings = new List<string>();
        var found = new List<(string Folder, string Id, string Name)>();
        foreach (var folder in Subfolders(root).Where(f => !NotExperiments.Contains(Path.GetFileName(f), StringComparer.Ordinal)))
        {
            var meta = Path.Combine(folder, "meta.yaml");
            if (!File.Exists(meta))
            {
                warnings.Add($"{folder}: no meta.yaml, not an MLflow experiment; skipped.");
                continue;
            }

            var yaml = Yaml(meta);
            if (Text(yaml, "lifecycle_stage", meta) is { } stage && stage != MlflowRules.Active)
            {
                continue;
            }

            found.Add((folder, Required(yaml, "experiment_id", meta), Required(yaml, "name", meta)));
        }

        var wanted = MlflowRules.Wanted(experiments, found.Select(f => f.Name).ToList(), root);
        var runs = new List<TrackedRun>();
        foreach (var (folder, experimentId, name) in found.Where(f => wanted is null || wanted.Contains(f.Name)).OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            foreach (var runFolder in Subfolders(folder).Where(f => !NotRuns.Contains(Path.GetFileName(f), StringComparer.Ordinal)))
            {
                var meta = Path.Combine(runFolder, "meta.yaml");
                if (!File.Exists(meta))
                {
                    warnings.Add($"{runFolder}: no meta.yaml, not an MLflow run; skipped.");
                    continue;
                }

                if (ReadRun(meta, runFolder, root, experimentId, name, warnings) is { } run)
                {
                    runs.Add(run);
                }
            }
        }

        return new MlflowRead(root, runs, found.Select(f => f.Name).ToList(), warnings);
    }

    private static TrackedRun? ReadRun(string meta, string folder, string root, string experimentId, string experimentName, List<string> warnings)
    {
        var yaml = Yaml(meta);
        if (Text(yaml, "lifecycle_stage", meta) is { } stage && stage != MlflowRules.Active)
        {
            return null;
        }

        var runId = Text(yaml, "run_id", meta) ?? Required(yaml, "run_uuid", meta);
        if (Text(yaml, "experiment_id", meta) is { } recorded && recorded != experimentId)
        {
            // MLflow ignores such a run too ("Wrong experiment ID recorded for run").
            warnings.Add($"{meta}: run {runId} records experiment {recorded} but sits in experiment {experimentId}'s folder; skipped.");
            return null;
        }

        var statusCode = Number(yaml, "status", meta) ?? 1;
        if (!RunStatuses.TryFromCode((int)statusCode, out var status))
        {
            throw new UserInputException($"{meta}: status {statusCode} is not an MLflow run status code (1 RUNNING, 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED).");
        }

        var tags = Values(Path.Combine(folder, "tags"));
        var metrics = new List<RunMetric>();
        var metricsFolder = Path.Combine(folder, "metrics");
        foreach (var (key, file) in Files(metricsFolder, metricsFolder))
        {
            var history = new List<RunMetric>();
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                history.Add(MetricLine(key, line, file, lineNumber));
            }

            if (history.Count == 0)
            {
                throw new UserInputException($"{file}: metric '{key}' has no values (MLflow: \"Metric is malformed. No data found\").");
            }

            metrics.Add(MlflowRules.Latest(history));
        }

        return new TrackedRun(
            runId,
            root,
            experimentId,
            experimentName,
            MlflowRules.RunName(Text(yaml, "run_name", meta), tags),
            status,
            MlflowRules.Instant(Number(yaml, "start_time", meta), $"{meta}: start_time"),
            MlflowRules.Instant(Number(yaml, "end_time", meta), $"{meta}: end_time"),
            Text(yaml, "user_id", meta),
            MlflowRules.Active,
            Values(Path.Combine(folder, "params")),
            tags,
            metrics.OrderBy(m => m.Key, StringComparer.Ordinal).ToList());
    }

    /// <summary>One line of a metric file: <c>timestamp value</c> or <c>timestamp value step</c>, separated by one space.</summary>
    private static RunMetric MetricLine(string key, string line, string file, int lineNumber)
    {
        var parts = line.Trim().Split(' ');
        if (parts.Length is not (2 or 3))
        {
            throw new UserInputException($"{file}: line {lineNumber}: '{line.Trim()}' has {parts.Length} fields; an MLflow metric line is 'timestamp value' or 'timestamp value step'.");
        }

        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw new UserInputException($"{file}: line {lineNumber}, field 1: timestamp '{parts[0]}' is not whole milliseconds since the epoch.");
        }

        if (!MlflowRules.TryParseDouble(parts[1], out var value))
        {
            throw new UserInputException($"{file}: line {lineNumber}, field 2: value '{parts[1]}' is not a number (nan and inf are allowed).");
        }

        var step = 0L;
        if (parts.Length == 3 && !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step))
        {
            throw new UserInputException($"{file}: line {lineNumber}, field 3: step '{parts[2]}' is not a whole number.");
        }

        return new RunMetric(key, value, timestamp, step);
    }

    /// <summary>Each file under a params or tags folder: its path below the folder (with <c>/</c>) is the key, its text the value.</summary>
    private static Dictionary<string, string> Values(string folder)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, file) in Files(folder, folder))
        {
            values[key] = File.ReadAllText(file);
        }

        return values;
    }

    private static IEnumerable<(string Key, string File)> Files(string folder, string top)
    {
        if (!Directory.Exists(folder) || IsLink(folder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (!IsLink(file))
            {
                yield return (Path.GetRelativePath(top, file).Replace(Path.DirectorySeparatorChar, '/'), file);
            }
        }

        foreach (var sub in Subfolders(folder))
        {
            foreach (var item in Files(sub, top))
            {
                yield return item;
            }
        }
    }

    /// <summary>Sub-folders, never through a link (a link to a parent would import a tree again and again).</summary>
    private static IEnumerable<string> Subfolders(string folder) =>
        Directory.EnumerateDirectories(folder).Where(d => !IsLink(d)).Order(StringComparer.Ordinal);

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null || new DirectoryInfo(path).LinkTarget is not null;

    private static YamlMappingNode Yaml(string file)
    {
        var stream = YamlInput.Parse(file, () =>
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            return stream;
        });
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map
            ? map
            : throw new UserInputException($"{file}: not a YAML mapping of MLflow fields.");
    }

    private static string? Text(YamlMappingNode map, string key, string file)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        return node switch
        {
            YamlScalarNode { Value: null or "" or "null" or "~" } => null,
            YamlScalarNode scalar => scalar.Value,
            YamlSequenceNode => null, // meta.yaml keeps an empty 'tags: []' for old MLflow versions
            _ => throw new UserInputException($"{file}: line {node.Start.Line}: {key} is not a single value."),
        };
    }

    private static string Required(YamlMappingNode map, string key, string file) =>
        Text(map, key, file) ?? throw new UserInputException($"{file}: no {key}; an MLflow meta.yaml has one.");

    private static long? Number(YamlMappingNode map, string key, string file)
    {
        var text = Text(map, key, file);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UserInputException($"{file}: {key} '{text}' is not a whole number.");
    }
}
