using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>An <c>import usage</c>: the usage CSV, as the user wrote its path.</summary>
public sealed record ImportUsageRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Path { get; init; }
}

/// <summary>
/// Imports allocation drivers (GPU-hours per team, requests per model ...). Every line is validated first; a bad line
/// refuses the whole file, naming its line and column, and the store is left as it was. Importing the same file again
/// does nothing; a new measurement of the same metric and days replaces the old one.
/// </summary>
public sealed class ImportUsageUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportUsageResult Run(ImportUsageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Path))
        {
            throw new UserInputException("Name the usage CSV to import.");
        }

        var config = stores.LoadConfig(request.Store);
        var policy = AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy;
        var file = StreamedImportFile.Open(environment, request.Path, "Usage file");

        // Validated with the policy (two columns may not become one dimension); stored as written, so a later change
        // of the tag policy applies to usage already imported.
        // Both readings stream from the file (a year of hourly samples for hundreds of resources is millions of lines;
        // held as text, 10M lines took 1.8 GB): the first only validates, counts and fingerprints, before any store is
        // opened, so a refused file leaves none behind; the second must read the same bytes.
        var count = 0L;
        var (sha256, bytes, lineFeeds) = file.Read(stream =>
        {
            foreach (var _ in UsageCsv.Read(stream, request.Path, policy))
            {
                count++;
            }
        });

        if (count == 0)
        {
            throw new UserInputException($"{request.Path}: no usage lines after the header; nothing was imported.");
        }

        using var opened = stores.Open(request.Store, config, StoreAccess.Write);
        var store = opened.Store;
        if (store.FindImportByContentHash(sha256) is { Kind: ImportKind.Usage } known)
        {
            return ImportUsageResult.Of(ImportOutcome.AlreadyImported, file.Path, sha256, known, opened.Location);
        }

        using var session = store.BeginUsageImport();
        var (imported, _, _) = file.Read(stream =>
        {
            foreach (var sample in UsageCsv.Read(stream, request.Path))
            {
                session.Append(sample);
            }
        });

        if (imported != sha256)
        {
            throw new UserInputException($"{request.Path} changed while it was being imported; nothing was imported. Import it again once it is complete.");
        }

        var record = session.Commit(new ImportedFile(file.Path, sha256, bytes, Math.Max(0, lineFeeds - 1)));
        return ImportUsageResult.Of(ImportOutcome.Imported, file.Path, sha256, record, opened.Location);
    }
}
