using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Store;

namespace ModelMeter.Application.Imports;

/// <summary>An <c>import rates</c>: the exchange-rate CSV (<c>date,from,to,rate</c>), as the user wrote its path.</summary>
public sealed record ImportRatesRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    public required string Path { get; init; }
}

/// <summary>
/// Imports a dated exchange-rate table that <c>--currency</c> converts with. The whole file is validated first (a bad
/// line names its line and column and nothing is stored); a rate of a pair and day already stored is replaced.
/// </summary>
public sealed class ImportRatesUseCase(StoreProvider stores, ModelMeterEnvironment environment)
{
    public ImportRatesResult Run(ImportRatesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Path))
        {
            throw new UserInputException("Name the exchange-rate CSV to import.");
        }

        var file = ImportFile.Read(environment, request.Path, "Rates file");
        var table = ExchangeRateTable.Parse(file.Text, request.Path);
        if (table.Count == 0)
        {
            throw new UserInputException($"{request.Path}: no rates after the header; nothing was imported.");
        }

        // A rate written twice for the same day and pair counts once (the table has already refused conflicting ones).
        var rates = table.Rates.DistinctBy(r => (r.Date, r.From, r.To)).ToList();
        using var opened = stores.Open(request.Store, StoreAccess.Write);
        var store = opened.Store;
        if (store.FindImportByContentHash(file.Sha256) is { Kind: ImportKind.Rates } known)
        {
            return ImportRatesResult.Of(ImportOutcome.AlreadyImported, file, known, opened.Location);
        }

        var record = store.ImportExchangeRates(rates, new ImportedFile(file.Path, file.Sha256, file.Bytes, rates.Count));
        return ImportRatesResult.Of(ImportOutcome.Imported, file, record, opened.Location);
    }
}
