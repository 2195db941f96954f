using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Core.Errors;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// A bounded fuzz test of <c>import focus</c>: hundreds of files mutated from a valid export by a fixed seed (byte
/// flips, cut lines, doubled or lost quotes and delimiters, huge fields, bad UTF-8, NUL, a BOM mid-file, numbers such
/// as 1e400, -0 and NaN, impossible dates, extreme offsets, damaged gzip). Every case must end in an import holding
/// exactly the rows an independent reference parser reads, or in a refusal (exit 2) with the store byte for byte as
/// it was; never another exception, never longer than 20 s. The cases run in-process through the import use case (all
/// of them read and validated in full, one in <see cref="StoredEvery"/> also imported into the store); a
/// few also run through the real process, whose exit code must be 0 or 2 and whose output holds no stack trace.
/// </summary>
public sealed class ImportFuzzTests : IDisposable
{
    private const int Seed = 20261201;
    private const int Cases = 2000;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);

    // Every case is read and validated in full; one in StoredEvery is also imported into the store and its rows compared
    // one by one with the reference parser's (a store import costs a store open, a commit and a copy: ~0.3 s each here,
    // where a dry run of the same file takes milliseconds).
    private const int StoredEvery = 6;

    private static readonly string[] Numbers = ["1e400", "-0", "NaN", "-NaN", "Infinity", "1e-30", "0.0000000000000000001", "99999999999999999999.5", "1,5", " 2 ", "+3", "1e5", "0x10", "١٢", "1\0", "1.", ".5", "--1", "1e", "60000000000000000000"];
    private static readonly string[] Instants = ["2026-02-30T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-10-01T24:00:00Z", "2026-10-01T00:00:00+15:00", "2026-10-01", "2026-10-01 05:00:00", "2026-13-01T00:00:00Z", "10000-01-01T00:00:00Z", "2026-10-01T00:00:00.123456789Z", "1899-12-31T23:00:00Z"];

    private readonly TempDirectory _temp = new();
    private readonly ServiceProvider _services;

    public ImportFuzzTests()
    {
        _services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_temp.Path, new FakeTimeProvider(CliHarness.Now))).BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        _temp.Dispose();
    }

    private string Store => Path.Combine(_temp.Path, ".modelmeter", "meter.duckdb");

    private static byte[] BaseFile()
    {
        var csv = new FocusCsv();
        var random = new Random(Seed);
        for (var i = 0; i < 12; i++)
        {
            var start = new DateTime(2026, 10, 1 + (i % 5), i % 24, 0, 0, DateTimeKind.Utc);
            csv.Row(("ResourceId", $"i-{i:D3}"), ("ServiceName", i % 3 == 0 ? "Amazon SageMaker" : "Amazon EC2"),
                ("ChargePeriodStart", start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ("ChargePeriodEnd", start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                ("BilledCost", (random.Next(1, 100_000) / 1000m).ToString(CultureInfo.InvariantCulture)),
                ("EffectiveCost", "1.5"),
                ("Tags", i % 4 == 0 ? "" : $"{{\"team\":\"t{i % 3}\",\"note\":\"a, \\\"quoted\\\" value\"}}"));
        }

        return Encoding.UTF8.GetBytes(csv.ToCsv());
    }

    [Fact]
    public void MutatedExports_AreImportedExactly_OrRefusedWithTheStoreUnchanged()
    {
        var original = BaseFile();
        var random = new Random(Seed);
        var import = _services.GetRequiredService<ImportFocusUseCase>();
        Run(import, "seed.csv", original).ShouldBe("imported");
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Cases; i++)
        {
            var (kind, bytes, gzip) = Mutate(original, random);
            var name = $"case-{i:D4}.csv{(gzip ? ".gz" : "")}";
            var stored = i % StoredEvery == 0;
            var outcome = Run(import, name, bytes, $"case {i} ({kind})", dryRun: !stored);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            var key = stored ? "stored " + outcome : outcome;
            outcomes[key] = outcomes.GetValueOrDefault(key) + (stored ? 1 : 0);
        }

        // The store is exercised both ways too: imports that replace the bill, and refusals that leave it alone.
        outcomes.GetValueOrDefault("stored imported").ShouldBeGreaterThan(0, string.Join(", ", outcomes));
        outcomes.GetValueOrDefault("stored refused").ShouldBeGreaterThan(0, string.Join(", ", outcomes));

        // Both ends are exercised: many mutations are refused, and many still import.
        outcomes.GetValueOrDefault("refused").ShouldBeGreaterThan(Cases / 10, string.Join(", ", outcomes));
        outcomes.GetValueOrDefault("imported").ShouldBeGreaterThan(Cases / 20, string.Join(", ", outcomes));
        // No bound on the whole run: speed is measured in benchmarks, not asserted (the run took 2m26s on a quiet
        // 2-core machine and over 10 minutes on a loaded one). Each case is bounded (CaseLimit): a hang is a failure.
    }

    [Fact]
    public void MutatedExports_ThroughTheRealProcess_ExitWith0Or2_AndNeverAStackTrace()
    {
        var original = BaseFile();
        var random = new Random(Seed + 1);
        Directory.CreateDirectory(Path.GetDirectoryName(Store)!);
        for (var i = 0; i < 10; i++)
        {
            var (kind, bytes, gzip) = Mutate(original, random);
            var name = $"real-{i}.csv{(gzip ? ".gz" : "")}";
            File.WriteAllBytes(Path.Combine(_temp.Path, name), bytes);
            var before = Fingerprint();

            var run = RealProcess.Run(_temp.Path, CaseLimit, "import", "focus", name);

            run.TimedOut.ShouldBeFalse($"{kind}: {run}");
            run.ExitCode.ShouldBeOneOf([0, 2], $"{kind}: {run}");
            (run.Out + run.Err).ShouldNotContain("   at ", Case.Sensitive, $"{kind}: {run}");
            if (run.ExitCode == 2)
            {
                Fingerprint().ShouldBe(before, $"{kind}: a refused import leaves the store byte for byte as it was\n{run}");
            }
        }
    }

    /// <summary>
    /// One case: "imported" (rows equal the reference parser's), "same" (already imported) or "refused" (store unchanged).
    /// A dry run reads and validates the file as an import does, without the store: its valid rows are counted against
    /// the reference parser's.
    /// </summary>
    private string Run(ImportFocusUseCase import, string name, byte[] bytes, string what = "seed", bool dryRun = false)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllBytes(path, bytes);
        // A dry run opens no store; hashing it around each of thousands of dry runs would only take time.
        var before = dryRun ? null : Fingerprint();
        var watch = Stopwatch.StartNew();
        ImportFocusResult? result = null;
        string? refusal = null;
        try
        {
            result = import.Run(new ImportFocusRequest { Paths = [name], DryRun = dryRun });
        }
        catch (UserInputException e)
        {
            refusal = e.Message;
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"{what}: {e.GetType().Name} would be exit 3 (a crash): {e}");
        }

        watch.Elapsed.ShouldBeLessThan(CaseLimit, what);
        File.Delete(path);
        if (refusal is not null || result!.Outcome == ImportOutcome.Refused)
        {
            if (!dryRun)
            {
                Fingerprint().ShouldBe(before, $"{what}: refused ({refusal ?? result!.RefusalReason}), so the store must be byte for byte as it was");
            }

            return "refused";
        }

        if (result.Outcome == ImportOutcome.AlreadyImported)
        {
            return "same";
        }

        var expected = Reference.Read(bytes, name.EndsWith(".gz", StringComparison.Ordinal));
        expected.ShouldNotBeNull($"{what}: imported {result.RowsValid} rows from a file the reference parser cannot read");
        if (dryRun)
        {
            result.Outcome.ShouldBe(ImportOutcome.DryRun, what);
            result.RowsValid.ShouldBe(expected.Count, what);
            return "imported";
        }

        result.Outcome.ShouldBe(ImportOutcome.Imported, what);
        StoredRows(result.ImportId!.Value).ShouldBe(expected.Order(StringComparer.Ordinal).ToList(), what);
        return "imported";
    }

    private string Fingerprint()
    {
        if (!File.Exists(Store))
        {
            return "(no store)";
        }

        var wal = Store + ".wal";
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Store))) + (File.Exists(wal) ? "+wal " + new FileInfo(wal).Length : "");
    }

    private List<string> StoredRows(long importId)
    {
        // Read from a copy under a new name: DuckDB keeps databases open in this process by path, and the use case above
        // opened this one for writing.
        var copy = Path.Combine(_temp.Path, $"copy-{importId}.duckdb");
        File.Copy(Store, copy, overwrite: true);
        using var connection = new DuckDBConnection($"DataSource={copy};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ResourceId, CAST(BilledCost AS VARCHAR), ChargePeriodStart, ServiceName FROM line_items WHERE import_id = {importId}";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Reference.Key(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? null : decimal.Parse(reader.GetString(1), NumberStyles.Float, CultureInfo.InvariantCulture),
                DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows.Order(StringComparer.Ordinal).ToList();
    }

    private static (string Kind, byte[] Bytes, bool Gzip) Mutate(byte[] original, Random random)
    {
        var text = Encoding.UTF8.GetString(original);
        var lines = text.Split('\n').ToList();
        var kind = random.Next(17);
        byte[] bytes;
        switch (kind)
        {
            case 0:
                bytes = original.ToArray();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return ("byte flip", bytes, false);
            case 1:
                lines.RemoveAt(random.Next(1, lines.Count));
                return ("line lost", Utf8(string.Join('\n', lines)), false);
            case 2:
                return ("cut", original[..random.Next(1, original.Length)], false);
            case 3:
                return ("quote doubled", Utf8(InsertAt(text, random, IndexesOf(text, '"'), "\"")), false);
            case 4:
                return ("quote lost", Utf8(RemoveAt(text, random, IndexesOf(text, '"'))), false);
            case 5:
                return ("comma doubled", Utf8(InsertAt(text, random, IndexesOf(text, ','), ",")), false);
            case 6:
                return ("comma lost", Utf8(RemoveAt(text, random, IndexesOf(text, ','))), false);
            case 7:
                return ("huge field", Utf8(InsertAt(text, random, IndexesOf(text, ','), new string('x', random.Next(10_000, 300_000)))), false);
            case 8:
                bytes = original.ToList().Also(b => b.InsertRange(random.Next(original.Length), random.Next(2) == 0 ? [0xFF] : [0xC3])).ToArray();
                return ("bad UTF-8", bytes, false);
            case 9:
                return ("NUL", original.ToList().Also(b => b.InsertRange(random.Next(original.Length), [0])).ToArray(), false);
            case 10:
                return ("BOM mid-file", original.ToList().Also(b => b.InsertRange(random.Next(1, original.Length), [0xEF, 0xBB, 0xBF])).ToArray(), false);
            case 11:
                return ("number", Utf8(ReplaceField(lines, random, ["BilledCost", "EffectiveCost", "ListCost", "PricingQuantity"], Numbers[random.Next(Numbers.Length)])), false);
            case 12:
                return ("instant", Utf8(ReplaceField(lines, random, ["ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart"], Instants[random.Next(Instants.Length)])), false);
            case 13:
                return ("currency", Utf8(ReplaceField(lines, random, ["BillingCurrency"], new[] { "ZZZ", "usd", "", "US", "EURO", "XXX" }[random.Next(6)])), false);
            case 14:
                var gz = Gzip(original);
                return ("gzip cut", gz[..random.Next(1, gz.Length)], true);
            case 15:
                var flipped = Gzip(original);
                flipped[random.Next(10, flipped.Length)] ^= (byte)(1 << random.Next(8));
                return ("gzip flip", flipped, true);
            default:
                return ("line end", Utf8(text.Replace("\n", random.Next(2) == 0 ? "\r\n" : "\r", StringComparison.Ordinal)), false);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static List<int> IndexesOf(string text, char c) => Enumerable.Range(0, text.Length).Where(i => text[i] == c).ToList();

    private static string InsertAt(string text, Random random, List<int> at, string value) =>
        at.Count == 0 ? text : text.Insert(at[random.Next(at.Count)], value);

    private static string RemoveAt(string text, Random random, List<int> at) =>
        at.Count == 0 ? text : text.Remove(at[random.Next(at.Count)], 1);

    private static string ReplaceField(List<string> lines, Random random, string[] columns, string value)
    {
        var header = Reference.Split(lines[0])!;
        var column = Array.FindIndex(header, h => columns.Contains(h));
        var row = random.Next(1, lines.Count - 1);
        var fields = Reference.Split(lines[row]);
        if (column < 0 || fields is null || column >= fields.Length)
        {
            return string.Join('\n', lines);
        }

        fields[column] = value;
        var copy = lines.ToList();
        copy[row] = string.Join(',', fields.Select(FocusCsv.Quote));
        return string.Join('\n', copy);
    }

    /// <summary>
    /// The independent reader the importer is held to: strict UTF-8, strict RFC 4180, values by .NET's own parsers. It
    /// says which rows a file holds (or null when it cannot read the file); it does not decide what to refuse.
    /// </summary>
    private static class Reference
    {
        public static List<string>? Read(byte[] bytes, bool gzip)
        {
            string text;
            try
            {
                if (gzip)
                {
                    using var stream = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                    using var output = new MemoryStream();
                    stream.CopyTo(output);
                    bytes = output.ToArray();
                }

                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
            {
                return null;
            }

            if (text.StartsWith('\uFEFF'))
            {
                text = text[1..];
            }

            var records = Records(text);
            if (records is null || records.Count == 0)
            {
                return null;
            }

            var header = records[0].Select(h => h.Trim()).ToList();
            int Column(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            var (resource, billed, start, service) = (Column("ResourceId"), Column("BilledCost"), Column("ChargePeriodStart"), Column("ServiceName"));
            var rows = new List<string>();
            foreach (var record in records.Skip(1))
            {
                if (record.Count == 1 && record[0].Length == 0)
                {
                    continue;
                }

                if (record.Count != header.Count)
                {
                    return null;
                }

                if (start < 0)
                {
                    return null;
                }

                decimal? cost = null;
                if (billed >= 0 && !IsNull(record[billed]))
                {
                    if (!decimal.TryParse(record[billed].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    {
                        return null;
                    }

                    cost = value;
                }

                if (!DateTimeOffset.TryParse(record[start].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                {
                    return null;
                }

                rows.Add(Key(resource < 0 ? null : Text(record[resource]), cost, instant.UtcDateTime, service < 0 ? null : Text(record[service])));
            }

            return rows;
        }

        public static string Key(string? resource, decimal? cost, DateTime start, string? service) =>
            string.Join('|', resource ?? "(null)", cost is { } c ? (c / 1.000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : "(null)",
                start.ToString("O", CultureInfo.InvariantCulture), service ?? "(null)");

        private static bool IsNull(string value) => value.Length == 0 || value is "null" or "NULL";

        private static string? Text(string value) => IsNull(value) ? null : value.Trim();

        public static string[]? Split(string line) => Records(line + "\n") is [var only] ? only.ToArray() : null;

        /// <summary>RFC 4180: a quote only opens a field, doubled inside, and a closing quote ends it; CRLF, LF or CR ends a line.</summary>
        private static List<List<string>>? Records(string text)
        {
            var records = new List<List<string>>();
            var fields = new List<string>();
            var field = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '"' && field.Length == 0)
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            return null;
                        }

                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        field.Append(text[i++]);
                    }

                    if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        return null;
                    }

                    continue;
                }

                var c = text[i];
                if (c == '"')
                {
                    return null;
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    i++;
                }
                else if (c is '\r' or '\n')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(fields);
                    fields = [];
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                }
                else
                {
                    field.Append(c);
                    i++;
                }
            }

            if (field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add(fields);
            }

            return records;
        }
    }
}

internal static class FuzzExtensions
{
    public static List<T> Also<T>(this List<T> list, Action<List<T>> action)
    {
        action(list);
        return list;
    }
}
