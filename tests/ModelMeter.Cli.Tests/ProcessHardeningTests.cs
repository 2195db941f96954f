using System.Diagnostics;
using System.Text.Json;
using DuckDB.NET.Data;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// What only the real process shows: a FIFO never blocks it, the lock message names the process holding the store,
/// read-only stores are read, full disks and read-only folders are named, Ctrl-C and kill -9 leave all or nothing.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessHardeningTests : IDisposable
{
    // A hang guard, not a speed claim: a process still running after it is a hang. Generous, since a loaded 2-core
    // machine took over 60 s for the big bill's import.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Folder => _temp.Path;

    private string Store => Path.Combine(_temp.Path, "meter.duckdb");

    private ProcessRun Cli(params string[] args) => RealProcess.Run(Folder, Limit, args);

    private string WriteBill(string name, int rows, string account = "acct-1")
    {
        var csv = new FocusCsv();
        for (var i = 0; i < rows; i++)
        {
            csv.Row(("BillingAccountId", account), ("ResourceId", $"i-{i:D6}"), ("BilledCost", "0.25"), ("EffectiveCost", "0.25"));
        }

        csv.WriteTo(Path.Combine(Folder, name));
        return name;
    }

    /// <summary>Every import in the store with its rows, read by the real process's JSON (the store must open).</summary>
    private List<(long Id, long Rows, decimal Billed)> Imports()
    {
        var run = Cli("imports", "--store", Store, "--format", "json");
        run.ExitCode.ShouldBe(0, run.ToString());
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.GetProperty("imports").EnumerateArray()
            .Where(i => i.GetProperty("superseded_by").ValueKind == JsonValueKind.Null)
            .Select(i => (i.GetProperty("import_id").GetInt64(), i.GetProperty("rows").GetInt64(),
                i.GetProperty("billed_totals").EnumerateObject().Sum(t => t.Value.GetDecimal())))
            .ToList();
    }

    /// <summary>
    /// What the store's line items hold, read from a copy under a new name (with its write-ahead log): DuckDB keeps a
    /// database open in this process by path, so reading the store itself could see a deleted earlier store.
    /// </summary>
    private (long Rows, decimal Billed) StoredLineItems()
    {
        var copy = Path.Combine(Folder, $"copy-{Guid.NewGuid():N}.duckdb");
        File.Copy(Store, copy);
        if (File.Exists(Store + ".wal"))
        {
            File.Copy(Store + ".wal", copy + ".wal");
        }

        using var connection = new DuckDBConnection($"DataSource={copy}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(BilledCost), 0) FROM line_items";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetDecimal(1));
    }

    [Fact]
    public void AFifo_GivenAsAFile_IsRefusedByName_InsteadOfHanging()
    {
        RealProcess.Tool("mkfifo", Path.Combine(Folder, "pipe.csv"));

        foreach (var args in new[] { new[] { "import", "focus", "pipe.csv" }, ["import", "usage", "pipe.csv"], ["import", "rates", "pipe.csv"], ["report", "--config", "pipe.csv"] })
        {
            var run = RealProcess.Run(Folder, TimeSpan.FromSeconds(20), [.. args, "--store", Store]);

            run.TimedOut.ShouldBeFalse(run.ToString());
            run.ExitCode.ShouldBe(2, run.ToString());
            run.Err.ShouldContain("is a FIFO (named pipe), not a regular file");
        }
    }

    [Fact]
    public void ALockedStore_NamesTheProcessHoldingIt_AndHow()
    {
        Cli("import", "focus", WriteBill("bill.csv", 3), "--store", Store).ExitCode.ShouldBe(0);
        var me = Environment.ProcessId;

        using (var writer = new DuckDBConnection($"DataSource={Store}"))
        {
            writer.Open();
            var report = Cli("report", "--store", Store);
            report.ExitCode.ShouldBe(2, report.ToString());
            report.Err.ShouldContain($"process {me}");
            report.Err.ShouldContain("holds it for writing");
            // Not the server's message (the holder's command line may well contain "serve", in a checkout's path, say).
            report.Err.ShouldNotContain("modelmeter serve");
        }

        using (var reader = new DuckDBConnection($"DataSource={Store};ACCESS_MODE=READ_ONLY"))
        {
            reader.Open();
            // Readers share the store: a report runs while another process reads it.
            Cli("report", "--store", Store).ExitCode.ShouldBe(0);
            var import = Cli("import", "focus", WriteBill("more.csv", 2, "acct-2"), "--store", Store);
            import.ExitCode.ShouldBe(2, import.ToString());
            import.Err.ShouldContain($"process {me}");
            import.Err.ShouldContain("holds it for reading");
        }
    }

    [Fact]
    public void AReadOnlyStore_IsReadByReportTagsAllocateAndImports_AndAnImportSaysWhatCannotBeWritten()
    {
        var store = Path.Combine(Folder, "ro", "meter.duckdb");
        Cli("import", "focus", WriteBill("bill.csv", 3), "--store", store).ExitCode.ShouldBe(0);
        File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(Path.GetDirectoryName(store)!, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var before = File.ReadAllBytes(store);
        try
        {
            foreach (var command in new[] { "report", "tags", "allocate", "imports" })
            {
                var run = RealProcess.Run(Folder, Limit, RealProcess.AsPlainUser, command, "--store", store);
                run.ExitCode.ShouldBe(0, $"{command}: {run}");
            }

            var import = RealProcess.Run(Folder, Limit, RealProcess.AsPlainUser, "import", "focus", WriteBill("more.csv", 2, "acct-2"), "--store", store);
            import.ExitCode.ShouldBe(2, import.ToString());
            import.Err.ShouldContain($"cannot write to it or to the folder {Path.GetDirectoryName(store)}");
            File.ReadAllBytes(store).ShouldBe(before);
        }
        finally
        {
            File.SetUnixFileMode(Path.GetDirectoryName(store)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void AnUnreadableFileOrFolder_IsRefusedByName()
    {
        var bill = WriteBill("secret.csv", 2);
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "locked")).FullName;
        File.Copy(Path.Combine(Folder, bill), Path.Combine(folder, "part.csv"));
        File.SetUnixFileMode(Path.Combine(Folder, bill), UnixFileMode.None);
        File.SetUnixFileMode(folder, UnixFileMode.None);
        try
        {
            var file = RealProcess.Run(Folder, Limit, RealProcess.AsPlainUser, "import", "focus", bill, "--store", Store);
            var dir = RealProcess.Run(Folder, Limit, RealProcess.AsPlainUser, "import", "focus", "locked", "--store", Store);

            file.ExitCode.ShouldBe(2, file.ToString());
            file.Err.ShouldContain("secret.csv: permission denied");
            dir.ExitCode.ShouldBe(2, dir.ToString());
            dir.Err.ShouldContain($"Cannot read the folder {folder}: permission denied");
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void AFullDisk_IsNamed_AndTheStoreIsLeftAsItWas()
    {
        // A 1 MB file system of its own: the import cannot fit. Needs root (mount), which CI and this machine have.
        var disk = Directory.CreateDirectory(Path.Combine(Folder, "small")).FullName;
        RealProcess.Tool("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk);
        try
        {
            var store = Path.Combine(disk, "meter.duckdb");
            var run = Cli("import", "focus", WriteBill("bill.csv", 20_000), "--store", store);

            run.ExitCode.ShouldBe(2, run.ToString());
            run.Err.ShouldContain($"No space left on the device holding the store {store}");
            run.Err.ShouldNotContain("Transaction has already been finished");
            File.Exists(store).ShouldBeFalse("a store the import created is not left behind");
        }
        finally
        {
            RealProcess.Tool("umount", disk);
        }
    }

    /// <summary>A bill big enough that an import takes a few seconds, so a signal can land in every phase.</summary>
    private (string File, long Rows) BigBill()
    {
        var run = Cli("demo", "--generate-only", "--rows", "150000", "--out", "big.csv");
        run.ExitCode.ShouldBe(0, run.ToString());
        var rows = File.ReadLines(Path.Combine(Folder, "big.csv")).LongCount() - 1;
        return ("big.csv", rows);
    }

    [Fact]
    public async Task CtrlC_AtAnyPoint_EitherRollsBackWithExit130_OrSaysTheImportCommitted()
    {
        Cli("import", "focus", WriteBill("seed.csv", 5), "--store", Store).ExitCode.ShouldBe(0);
        var seed = StoredLineItems();
        var (big, rows) = BigBill();
        foreach (var delay in new[] { 300, 900, 1600, 2400, 3200, 4500 })
        {
            using var process = RealProcess.Start(Folder, [], "import", "focus", big, "--store", Store);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await Task.Delay(delay);
            RealProcess.Signal(process, "INT");
            using (var exit = new CancellationTokenSource(Limit))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            var run = new ProcessRun(process.ExitCode, await output, await error, TimeSpan.Zero, false);

            run.Err.ShouldNotContain("   at ", Case.Sensitive, run.ToString());
            if (run.ExitCode == 130)
            {
                // With no output at all, the signal came before .NET had started the program, and its default action
                // ended the process (exit 128 + 2) before anything was opened; otherwise the program says it cancelled.
                if (run.Out.Length + run.Err.Length > 0)
                {
                    run.Err.ShouldContain("cancelled");
                }

                StoredLineItems().ShouldBe(seed, $"after Ctrl-C at {delay} ms the store is as it was\n{run}");
            }
            else
            {
                run.ExitCode.ShouldBe(0, run.ToString());
                run.Out.ShouldContain("Imported");
                StoredLineItems().Rows.ShouldBe(seed.Rows + rows);
                // Start the next round from the seed alone.
                File.Delete(Store);
                Cli("import", "focus", "seed.csv", "--store", Store).ExitCode.ShouldBe(0);
            }
        }
    }

    [Fact]
    public void Kill9_BeforeDuringOrAfterTheCommit_LeavesAStoreThatOpens_WithAllOrNothing_AndAReimportSucceeds()
    {
        Cli("import", "focus", WriteBill("seed.csv", 5), "--store", Store).ExitCode.ShouldBe(0);
        var seed = StoredLineItems();
        var (big, rows) = BigBill();
        var wal = Store + ".wal";
        // Points in time, and one point found by watching the store: the write-ahead log growing is the commit.
        foreach (var point in new[] { "200", "1000", "2000", "3000", "wal", "5000", "done" })
        {
            using var process = RealProcess.Start(Folder, [], "import", "focus", big, "--store", Store);
            var imported = false;
            process.OutputDataReceived += (_, e) => imported |= e.Data?.Contains("Imported", StringComparison.Ordinal) == true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var watch = Stopwatch.StartNew();
            if (point == "wal")
            {
                var start = File.Exists(wal) ? new FileInfo(wal).Length : 0;
                while (!process.HasExited && watch.Elapsed < Limit && (!File.Exists(wal) || new FileInfo(wal).Length <= start))
                {
                    Thread.Sleep(2);
                }
            }
            else if (point == "done")
            {
                // After the commit (the summary is printed), while the process closes the store and DuckDB checkpoints its log.
                while (!process.HasExited && watch.Elapsed < Limit && !imported)
                {
                    Thread.Sleep(1);
                }
            }
            else
            {
                Thread.Sleep(int.Parse(point, System.Globalization.CultureInfo.InvariantCulture));
            }

            RealProcess.Signal(process, "KILL");
            process.WaitForExit(30_000).ShouldBeTrue();

            // The store opens, and holds the seed plus either the whole big bill or none of it.
            var imports = Imports();
            var stored = StoredLineItems();
            var committed = stored.Rows == seed.Rows + rows;
            (committed || stored == seed).ShouldBeTrue($"killed at {point}: {stored.Rows} rows, {stored.Billed}; the seed has {seed.Rows}, the bill {rows}");
            imports.Count.ShouldBe(committed ? 2 : 1, $"killed at {point}: imports {string.Join("; ", imports)}, stored {stored}, seed {seed}, bill {rows} rows");
            imports.Sum(i => i.Rows).ShouldBe(stored.Rows);
            imports.Sum(i => i.Billed).ShouldBe(stored.Billed);

            // A re-import succeeds: it imports the bill, or finds it already imported.
            var again = Cli("import", "focus", big, "--store", Store);
            again.ExitCode.ShouldBe(0, $"re-import after kill at {point}: {again}");
            StoredLineItems().Rows.ShouldBe(seed.Rows + rows);
            File.Delete(Store);
            File.Delete(wal);
            Cli("import", "focus", "seed.csv", "--store", Store).ExitCode.ShouldBe(0);
        }
    }
}
