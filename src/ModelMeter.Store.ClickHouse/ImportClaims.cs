using ModelMeter.Core.Errors;

namespace ModelMeter.Store.ClickHouse;

/// <summary>An import id held by one import attempt (its load) until it commits or gives up.</summary>
internal sealed record ImportClaim(long ImportId, ulong LoadId);

/// <summary>
/// Import ids that are consecutive, unique across concurrent writers, and reused when an import is refused or rolled
/// back (as the DuckDB store numbers them), on a database that has no sequences and no transactions.
/// </summary>
/// <remarks>
/// The one atomic test-and-set a ClickHouse server offers on its own is <c>CREATE TABLE</c>: it fails when the table
/// exists. An import claims id N by creating <c>import_claim_N</c> on the coordinator shard, trying N = the last
/// committed id + 1, then upwards; the claim holds its load id and a heartbeat (server time), and is dropped when the
/// import commits or rolls back (after its staged rows are dropped). A claim whose heartbeat is older than
/// <see cref="ClickHouseStoreTuning.StaleAfter"/> belongs to a process that died: the next import drops its staged rows and its claim, and
/// the id is free again. The claim tables are few (one per running import) and small.
/// </remarks>
internal sealed class ImportClaims(ClickHouseCluster cluster, ImportLedger ledger, ClickHouseStoreTuning tuning)
{
    private const string Prefix = "import_claim_";

    private string Db => Sql.Identifier(cluster.Database);

    /// <summary>Claims the lowest free id above the last committed one.</summary>
    public ImportClaim ClaimNext()
    {
        CleanUpStale();
        var load = ContentIds.NewLoad();
        var candidate = ledger.LastCommittedId() + 1;
        for (var attempt = 0; attempt < 10_000; attempt++, candidate++)
        {
            if (!TryClaim(candidate, load))
            {
                continue;
            }

            // The import that had this id may have committed (and dropped its claim) since the last committed id was read.
            if (ledger.IsCommitted(candidate))
            {
                Drop(candidate);
                continue;
            }

            return new ImportClaim(candidate, load);
        }

        throw new StoreUnavailableException($"Could not claim an import id on {cluster.Coordinator.Endpoint}: 10,000 ids in use.");
    }

    /// <summary>Claims a given id (a migration keeps the source store's ids), which must be neither committed nor claimed.</summary>
    public ImportClaim ClaimExactly(long importId)
    {
        CleanUpStale();
        var load = ContentIds.NewLoad();
        if (!TryClaim(importId, load))
        {
            throw new UserInputException($"Import #{importId} is being written to {cluster.Options} by another process; try again when it is done.");
        }

        if (ledger.IsCommitted(importId))
        {
            Drop(importId);
            throw new UserInputException($"The store {cluster.Options} already holds an import #{importId}.");
        }

        return new ImportClaim(importId, load);
    }

    /// <summary>Tells other writers this import is alive.</summary>
    public void Beat(ImportClaim claim) =>
        cluster.Coordinator.Execute($"INSERT INTO {Table(claim.ImportId)} (load_id) VALUES ({Sql.Literal(claim.LoadId)})");

    /// <summary>True while the claim is this load's (a claim given up as stale by another writer is not).</summary>
    public bool Holds(ImportClaim claim)
    {
        try
        {
            return cluster.Coordinator.Query($"SELECT count() AS n FROM {Table(claim.ImportId)} WHERE load_id = {Sql.Literal(claim.LoadId)}").Single().Int64("n") > 0;
        }
        catch (StoreUnavailableException e) when (ClickHouseServer.ErrorCode(e.Message) == UnknownTable)
        {
            return false;
        }
    }

    /// <summary>Gives the id back (after the caller dropped what it staged, or committed).</summary>
    public void Release(ImportClaim claim)
    {
        if (Holds(claim))
        {
            Drop(claim.ImportId);
        }
    }

    /// <summary>Drops the staged rows and claims of imports whose process died.</summary>
    public void CleanUpStale()
    {
        // A claim's age is its last heartbeat, or (between its CREATE and its first row) when its table was made.
        var claims = cluster.Coordinator.Query(
                $"SELECT name, now() - metadata_modification_time AS age FROM system.tables WHERE database = {Sql.Literal(cluster.Database)} AND startsWith(name, {Sql.Literal(Prefix)})")
            .Select(r => (Name: r.String("name"), Age: r.Double("age")))
            .Select(c => (Id: long.TryParse(c.Name.AsSpan(Prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1, c.Age))
            .Where(c => c.Id > 0 && c.Age >= tuning.StaleAfter.TotalSeconds)
            .ToList();
        foreach (var (id, _) in claims)
        {
            double silent;
            try
            {
                var beat = cluster.Coordinator.Query($"SELECT count() AS n, now() - max(beat) AS silent FROM {Table(id)}").Single();
                silent = beat.Int64("n") == 0 ? double.MaxValue : beat.Double("silent");
            }
            catch (StoreUnavailableException e) when (ClickHouseServer.ErrorCode(e.Message) == UnknownTable)
            {
                continue; // released meanwhile
            }

            if (silent < tuning.StaleAfter.TotalSeconds)
            {
                continue;
            }

            if (!ledger.IsCommitted(id))
            {
                Partitions.DropImport(cluster, id);
            }

            Drop(id);
        }
    }

    private const int TableExists = 57;

    private const int UnknownTable = 60;

    private bool TryClaim(long importId, ulong load)
    {
        try
        {
            cluster.Coordinator.Execute($"CREATE TABLE {Table(importId)} (load_id UInt64, beat DateTime('UTC') DEFAULT now()) ENGINE = Log");
        }
        catch (StoreUnavailableException e) when (ClickHouseServer.ErrorCode(e.Message) == TableExists)
        {
            return false;
        }

        cluster.Coordinator.Execute($"INSERT INTO {Table(importId)} (load_id) VALUES ({Sql.Literal(load)})");
        return true;
    }

    private void Drop(long importId) => cluster.Coordinator.Execute($"DROP TABLE IF EXISTS {Table(importId)}");

    private string Table(long importId) => $"{Db}.{Prefix}{Sql.Literal(importId)}";
}
