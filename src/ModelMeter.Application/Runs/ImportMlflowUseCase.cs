using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Runs;
using ModelMeter.Import.Mlflow;
using ModelMeter.Store;

namespace ModelMeter.Application.Runs;

/// <summary><c>import mlflow</c>: a tracking server (<c>--tracking-uri http://...</c>) or a store on disk (<c>--path</c>).</summary>
public sealed record ImportMlflowRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>An MLflow tracking URI: <c>http(s)://host:5000</c>, <c>sqlite:///mlflow.db</c>, <c>file:///path/mlruns</c>.</summary>
    public string? TrackingUri { get; init; }

    /// <summary>An <c>mlruns</c> folder or an <c>mlflow.db</c> file, as the user wrote it.</summary>
    public string? Path { get; init; }

    /// <summary>Experiment names to import; all active experiments when empty.</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    /// <summary>For a server that asks for one: a bearer token (the CLI reads MLFLOW_TRACKING_TOKEN).</summary>
    public string? Token { get; init; }

    /// <summary>For basic authentication (the CLI reads MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }
}

/// <summary>
/// Reads runs from any of MLflow's three stores and writes them to the store's runs in one transaction. Runs already
/// stored are updated in place (RUNNING becomes FINISHED); reading the same runs again (the same content) does nothing.
/// </summary>
public sealed class ImportMlflowUseCase(StoreProvider stores, ModelMeterEnvironment environment, HttpClient http)
{
    public async Task<ImportMlflowResult> RunAsync(ImportMlflowRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (format, read) = await ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (read.Runs.Count == 0)
        {
            throw new UserInputException($"{read.Source}: no active runs{(request.Experiments.Count > 0 ? " in " + string.Join(", ", request.Experiments) : "")}; nothing was imported.");
        }

        var sha = ContentHash(read.Runs);
        using var opened = stores.Open(request.Store, StoreAccess.Write);
        var store = opened.Store;
        if (store.FindImportByContentHash(sha) is { Kind: ImportKind.Mlflow } known)
        {
            return ImportMlflowResult.Of(ImportOutcome.AlreadyImported, format, read, sha, known, opened.Location);
        }

        var record = store.ImportRuns(read.Runs, new ImportedFile(read.Source, sha, 0, read.Runs.Count));
        return ImportMlflowResult.Of(ImportOutcome.Imported, format, read, sha, record, opened.Location);
    }

    private async Task<(string Format, MlflowRead Read)> ReadAsync(ImportMlflowRequest request, CancellationToken cancellationToken)
    {
        if ((request.TrackingUri is null) == (request.Path is null))
        {
            throw new UserInputException("Name one MLflow store: --tracking-uri http://host:5000 (a tracking server) or --path ./mlruns | mlflow.db.");
        }

        var path = request.Path;
        if (request.TrackingUri is { } uri)
        {
            if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var server))
                {
                    throw new UserInputException($"--tracking-uri '{uri}' is not a URL such as http://localhost:5000.");
                }

                var reader = new MlflowRestReader(http);
                return ("rest", await reader.ReadAsync(server, request.Experiments, new MlflowRestReader.Credentials(request.Token, request.Username, request.Password), cancellationToken).ConfigureAwait(false));
            }

            // MLflow's own spellings of a store on disk: sqlite:///relative.db, sqlite:////absolute.db, file:///abs/mlruns.
            path = uri.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase) ? uri["sqlite:///".Length..]
                : uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(uri).LocalPath
                : throw new UserInputException($"--tracking-uri '{uri}' is not an http(s)://, sqlite:/// or file:// MLflow tracking URI.");
        }

        var resolved = environment.ResolvePath(path!);
        if (Directory.Exists(resolved))
        {
            return ("file", MlflowFileStoreReader.Read(resolved, request.Experiments));
        }

        if (MlflowSqliteReader.IsSqlite(resolved))
        {
            return ("sqlite", MlflowSqliteReader.Read(resolved, request.Experiments));
        }

        throw new UserInputException(File.Exists(resolved)
            ? $"'{path}' is neither an mlruns folder nor an SQLite mlflow.db."
            : $"MLflow store '{path}' does not exist.");
    }

    /// <summary>The SHA-256 of the runs as read, in a fixed order: the same runs read again are recognised whatever their source's layout.</summary>
    internal static string ContentHash(IEnumerable<TrackedRun> runs)
    {
        var text = new StringBuilder();
        foreach (var run in runs.OrderBy(r => r.RunId, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{run.RunId}|{run.ExperimentId}|{run.ExperimentName}|{run.RunName}|{run.Status}|{run.Start:O}|{run.End:O}|{run.UserId}\n");
            foreach (var (key, value) in run.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"p|{key}|{value}\n");
            }

            foreach (var (key, value) in run.Tags.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"t|{key}|{value}\n");
            }

            foreach (var metric in run.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"m|{metric.Key}|{metric.Value:R}|{metric.Timestamp}|{metric.Step}\n");
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>The answer of <c>modelmeter import mlflow</c>.</summary>
/// <param name="Outcome"><c>imported</c>, or <c>already_imported</c> when the same runs were imported before.</param>
/// <param name="Format">Which MLflow store was read: <c>rest</c>, <c>file</c> (mlruns) or <c>sqlite</c>.</param>
/// <param name="Source">The tracking URI, folder or database.</param>
/// <param name="Sha256">The SHA-256 of the runs read (recognises a re-import).</param>
/// <param name="Runs">Runs read.</param>
/// <param name="Updated">Runs already stored that this import updated in place.</param>
/// <param name="Nested">Runs with a parent run (<c>mlflow.parentRunId</c>).</param>
/// <param name="Experiments">Each experiment with its runs and days.</param>
public sealed record ImportMlflowResult(
    ImportOutcome Outcome,
    string Format,
    string Source,
    string Sha256,
    long ImportId,
    DateTime ImportedAt,
    int Runs,
    long Updated,
    int Nested,
    IReadOnlyList<string> Experiments,
    string Store)
{
    /// <summary>What the reader skipped and why (folders that are not runs ...), shown on stderr by the CLI.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    internal static ImportMlflowResult Of(ImportOutcome outcome, string format, MlflowRead read, string sha, ImportRecord record, StoreLocation store) => new(
        outcome, format, read.Source, sha, record.ImportId, record.ImportedAt, read.Runs.Count,
        outcome == ImportOutcome.AlreadyImported ? 0 : record.ReplacedRows, read.Runs.Count(r => r.ParentRunId is not null), record.BillingPeriods, store.ToString())
    {
        Warnings = read.Warnings,
    };
}
