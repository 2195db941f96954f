using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ModelMeter.Core.Runs;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests;

/// <summary>
/// A bounded fuzz pass over every import that is not FOCUS (that one has <see cref="ImportFuzzTests"/>, which also
/// checks the rows against a reference parser): costs, usage, LLM calls, business metrics, exchange rates, nvidia-smi,
/// the three native billing exports and both MLflow file stores. Each format starts from a valid file the import
/// accepts, then imports mutations of it made by a fixed seed (byte flips, lost lines, cuts, doubled or lost quotes,
/// delimiters and braces, huge fields, bad UTF-8, NUL, a BOM mid-file, odd numbers and instants, JSON nested past any
/// depth, a damaged SQLite page). Every case must end in exit 0 (imported) or exit 2 (refused, with the store byte for
/// byte as it was), never a crash (exit 3), never a stack trace, never longer than 20 s.
/// </summary>
public sealed class ImportFormatsFuzzTests : IDisposable
{
    private const int Seed = 20261202;
    private const int Cases = 30;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);

    private static readonly string[] Numbers = ["1e400", "-0", "NaN", "Infinity", "-1", "0.0000000000000000000000000001", "99999999999999999999999999999.5", "1,5", " 2 ", "+3", "0x10", "١٢", "1.", "--1", "1e", "9223372036854775808", ""];
    private static readonly string[] Instants = ["2026-02-30", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-10-01T24:00:00Z", "2026-13-01", "10000-01-01", "2026/10/05 25:00:00.000", "1899-12-31", "2026-10", ""];

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A format: a valid seed file and the arguments that import it.</summary>
    private sealed record Format(string Name, string File, byte[] Seed, string[] Args);

    public static TheoryData<string> Names => new(Formats().Select(f => f.Name));

    private static IEnumerable<Format> Formats()
    {
        yield return Text("costs", "costs.csv",
            "date,period,start,end,amount,currency,category,description,charge_category,team,product\n" +
            ",2026-10,,,42000.00,USD,personnel,\"ML engineers, 3 FTE\",Usage,search,ranker\n" +
            "2026-10-06,,,,3150.00,USD,data_labelling,Relevance judgements batch 12,Purchase,search,ranker\n" +
            ",,2026-10-01,2026-10-31,1800.00,USD,data_acquisition,Clickstream panel,Purchase,search,ranker\n",
            "import", "costs");
        yield return Text("usage", "usage.csv",
            "timestamp,team,model,metric,value\n2026-10-01,nlp,churn,gpu_hours,3\n2026-10-01T05:00:00Z,vision,det,predictions,1200\n2026-10-02,nlp,churn,gpu_utilization_percent,41.5\n",
            "import", "usage");
        yield return Text("llm-usage", "calls.jsonl",
            """
            {"timestamp":"2026-10-05T14:00:00Z","provider":"openai","model":"gpt-4.1","usage":{"prompt_tokens":1000,"completion_tokens":200,"prompt_tokens_details":{"cached_tokens":400}},"tags":{"team":"nlp","feature":"search"}}
            {"timestamp":"2026-10-05T15:00:00Z","provider":"anthropic","model":"claude-sonnet-4","usage":{"input_tokens":1000,"cache_read_input_tokens":100,"output_tokens":50}}

            """,
            "import", "llm-usage");
        yield return Text("metrics", "metrics.csv",
            "period,product,metric,value\n2026-10,search,active_users,1200\n2026-10,search,revenue,5400\n2026-09,ads,active_users,300\n",
            "import", "metrics");
        yield return Text("rates", "rates.csv",
            "date,from,to,rate\n2026-10-01,EUR,USD,1.07\n2026-10-02,EUR,USD,1.08\n2026-10-02,GBP,USD,1.27\n",
            "import", "rates");
        yield return Text("nvidia-smi", "gpu.csv",
            "timestamp, index, uuid, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB]\n" +
            "2026/10/05 14:00:00.123, 0, GPU-0aa, NVIDIA A10G, 35 %, 10240 MiB, 23028 MiB\n" +
            "2026/10/05 14:00:00.125, 1, GPU-1bb, NVIDIA A10G, [N/A], 512 MiB, 23028 MiB\n",
            "import", "nvidia-smi", "--resource-id", "i-0abc");
        yield return Fixture("aws-cur", ExportFixtures.AwsCur2, "import", "aws-cur");
        yield return Fixture("gcp-billing-csv", ExportFixtures.GcpCsv, "import", "gcp-billing");
        yield return Fixture("gcp-billing-jsonl", ExportFixtures.GcpJsonLines, "import", "gcp-billing");
        yield return Fixture("azure-cost", ExportFixtures.AzureEaAmortized, "import", "azure-cost");
        yield return new Format("mlflow-sqlite", "mlflow.db", SqliteSeed(), ["import", "mlflow", "--path"]);
        yield return new Format("mlflow-mlruns", "mlruns", [], ["import", "mlflow", "--path"]);
    }

    private static Format Text(string name, string file, string content, params string[] args) =>
        new(name, file, Encoding.UTF8.GetBytes(content), args);

    private static Format Fixture(string name, string fixture, params string[] args) =>
        new(name, fixture, File.ReadAllBytes(ExportFixtures.PathOf(fixture)), args);

    private static byte[] SqliteSeed()
    {
        using var temp = new TempDirectory();
        var path = MlflowStores.WriteSqlite(temp.File("seed.db"), Commands.RunsCommandTests.Runs());
        return File.ReadAllBytes(path);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task MutatedInputs_AreImportedOrRefused_NeverACrash_AndARefusalLeavesTheStoreAsItWas(string name)
    {
        var format = Formats().Single(f => f.Name == name);
        var random = new Random(Seed + name.Length * 7919 + name[0]);
        (await Import(format, "the seed file", () => Write(format, format.Seed, null))).ShouldBe(0, "the seed file is valid");

        var outcomes = new Dictionary<int, int>();
        for (var i = 0; i < Cases; i++)
        {
            var kind = "";
            var code = await Import(format, $"case {i}", () => kind = Write(format, format.Seed, random), () => kind);
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
        }

        // Both ends are exercised: some mutations are refused; the seed (and mutations that leave it readable) import.
        outcomes.GetValueOrDefault(2).ShouldBeGreaterThan(0, $"{name}: {string.Join(", ", outcomes)}");
    }

    /// <summary>Writes the input (mutated when a random source is given) and says what the mutation was.</summary>
    private string Write(Format format, byte[] seed, Random? random)
    {
        if (format.Name == "mlflow-mlruns")
        {
            return WriteMlruns(random);
        }

        var (kind, bytes) = random is null ? ("seed", seed) : Mutate(seed, random, format.Name == "mlflow-sqlite");
        File.WriteAllBytes(_cli.Temp.File(format.File), bytes);
        return kind;
    }

    /// <summary>The mlruns folder afresh, with one of its files mutated.</summary>
    private string WriteMlruns(Random? random)
    {
        var root = _cli.Temp.File("mlruns");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        MlflowStores.WriteMlruns(root, Commands.RunsCommandTests.Runs());
        if (random is null)
        {
            return "seed";
        }

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var file = files[random.Next(files.Count)];
        var (kind, bytes) = Mutate(File.ReadAllBytes(file), random, binary: false);
        File.WriteAllBytes(file, bytes);
        return $"{Path.GetRelativePath(root, file)}: {kind}";
    }

    private async Task<int> Import(Format format, string what, Func<string> write, Func<string>? kind = null)
    {
        write();
        var before = Fingerprint();
        var watch = Stopwatch.StartNew();
        var run = await _cli.Run([.. format.Args, format.File]);
        var label = $"{format.Name}, {what} ({kind?.Invoke() ?? "seed"}): {run}";

        watch.Elapsed.ShouldBeLessThan(CaseLimit, label);
        run.ExitCode.ShouldBeOneOf([0, 2], label);
        (run.Out + run.Err).ShouldNotContain("   at ", Case.Sensitive, label);
        (run.Out + run.Err).ShouldNotContain("Exception", Case.Sensitive, label);
        if (run.ExitCode == 2)
        {
            run.Err.Trim().ShouldNotBeEmpty(label);
            Fingerprint().ShouldBe(before, $"a refused import leaves the store byte for byte as it was; {label}");
        }

        return run.ExitCode;
    }

    private string Fingerprint()
    {
        var store = _cli.StorePath;
        if (!File.Exists(store))
        {
            return "(no store)";
        }

        var wal = store + ".wal";
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(store))) + (File.Exists(wal) ? "+wal " + new FileInfo(wal).Length : "");
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] original, Random random, bool binary)
    {
        if (binary)
        {
            // A SQLite file: damage a page (not the 100-byte header alone) or cut it short.
            var bytes = original.ToArray();
            switch (random.Next(3))
            {
                case 0:
                    for (var n = random.Next(1, 8); n > 0; n--)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    return ("bytes flipped", bytes);
                case 1:
                    return ("cut", original[..random.Next(1, original.Length)]);
                default:
                    var page = random.Next(1, Math.Max(2, original.Length / 4096)) * 4096;
                    Array.Fill(bytes, (byte)0xFF, Math.Min(page, bytes.Length - 1), Math.Min(64, bytes.Length - Math.Min(page, bytes.Length - 1)));
                    return ("page damaged", bytes);
            }
        }

        var text = Encoding.UTF8.GetString(original);
        var lines = text.Split('\n').ToList();
        switch (random.Next(16))
        {
            case 0:
                var flipped = original.ToArray();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return ("byte flip", flipped);
            case 1:
                lines.RemoveAt(random.Next(lines.Count));
                return ("line lost", Utf8(string.Join('\n', lines)));
            case 2:
                return ("cut", original[..random.Next(0, original.Length)]);
            case 3:
                return ("quote doubled", Utf8(InsertAt(text, random, '"', "\"")));
            case 4:
                return ("quote lost", Utf8(RemoveAt(text, random, '"')));
            case 5:
                return ("delimiter doubled", Utf8(InsertAt(text, random, random.Next(2) == 0 ? ',' : ':', random.Next(2) == 0 ? "," : ":")));
            case 6:
                return ("delimiter lost", Utf8(RemoveAt(text, random, random.Next(2) == 0 ? ',' : ':')));
            case 7:
                return ("brace", Utf8(random.Next(2) == 0 ? RemoveAt(text, random, '{') : InsertAt(text, random, '}', "}")));
            case 8:
                return ("huge field", Utf8(InsertAt(text, random, ',', new string('x', random.Next(10_000, 300_000)))));
            case 9:
                return ("bad UTF-8", Insert(original, random, random.Next(2) == 0 ? [0xFF] : [0xC3]));
            case 10:
                return ("NUL", Insert(original, random, [0]));
            case 11:
                return ("BOM mid-file", Insert(original, random, [0xEF, 0xBB, 0xBF]));
            case 12:
                return ("number", Utf8(ReplaceToken(text, random, IsNumberChar, Numbers[random.Next(Numbers.Length)])));
            case 13:
                return ("instant", Utf8(ReplaceToken(text, random, c => char.IsAsciiDigit(c) || c is '-' or '/' or ':' or 'T' or 'Z', Instants[random.Next(Instants.Length)])));
            case 14:
                var depth = random.Next(100, 100_000);
                return ("nested past any depth", Utf8(InsertAt(text, random, '{', new string('[', depth) + new string(']', random.Next(2) * depth))));
            default:
                return ("line end", Utf8(text.Replace("\n", random.Next(2) == 0 ? "\r\n" : "\r", StringComparison.Ordinal)));
        }
    }

    private static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c == '.';

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Insert(byte[] original, Random random, byte[] bytes)
    {
        var list = original.ToList();
        list.InsertRange(random.Next(original.Length + 1), bytes);
        return [.. list];
    }

    private static List<int> IndexesOf(string text, char c) => Enumerable.Range(0, text.Length).Where(i => text[i] == c).ToList();

    private static string InsertAt(string text, Random random, char near, string value)
    {
        var at = IndexesOf(text, near);
        return text.Insert(at.Count == 0 ? random.Next(text.Length + 1) : at[random.Next(at.Count)], value);
    }

    private static string RemoveAt(string text, Random random, char c)
    {
        var at = IndexesOf(text, c);
        return at.Count == 0 ? text : text.Remove(at[random.Next(at.Count)], 1);
    }

    /// <summary>Replaces one run of characters matching <paramref name="part"/> (a number, an instant) with a value.</summary>
    private static string ReplaceToken(string text, Random random, Func<char, bool> part, string value)
    {
        var starts = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && (i == 0 || !part(text[i - 1]))).ToList();
        if (starts.Count == 0)
        {
            return text;
        }

        var start = starts[random.Next(starts.Count)];
        var end = start;
        while (end < text.Length && part(text[end]))
        {
            end++;
        }

        return string.Concat(text.AsSpan(0, start), value, text.AsSpan(end));
    }
}
