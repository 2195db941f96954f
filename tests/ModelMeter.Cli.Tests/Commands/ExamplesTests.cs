namespace ModelMeter.Cli.Tests.Commands;

/// <summary>Every spec in examples/ runs, so the documentation never shows an example that fails.</summary>
public class ExamplesTests
{
    public static TheoryData<string> Specs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(ExamplesDirectory(), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task Example_Estimates_InEveryFormat(string file)
    {
        using var cli = new CliRunner();
        File.Copy(Path.Combine(ExamplesDirectory(), file), Path.Combine(cli.Directory, file));

        foreach (var format in new[] { "table", "json", "markdown" })
        {
            var result = await cli.RunAsync("estimate", file, "--format", format, "--explain");
            result.ExitCode.ShouldBe(0, $"{file} --format {format}: {result.Error}");
            result.Out.ShouldNotBeNullOrWhiteSpace();
            if (format == "json")
            {
                // The JSON is a document a script can read: the spec, its kind, a positive headline and its working.
                using var json = System.Text.Json.JsonDocument.Parse(result.Out);
                var root = json.RootElement;
                root.GetProperty("spec").GetString().ShouldBe(file);
                root.GetProperty("kind").GetString().ShouldBe(File.ReadLines(Path.Combine(cli.Directory, file)).First(l => l.StartsWith("kind:", StringComparison.Ordinal))[5..].Trim());
                root.GetProperty("headline").GetProperty("value").GetDecimal().ShouldBeGreaterThan(0m);
                root.GetProperty("steps").GetArrayLength().ShouldBeGreaterThan(0);
                var headline = root.GetProperty("headline").GetProperty("key").GetString();
                root.GetProperty("results").EnumerateArray().ShouldContain(r => r.GetProperty("key").GetString() == headline);
            }
        }
    }

    [Fact]
    public void Examples_CoverEveryKind()
    {
        var kinds = Directory.GetFiles(ExamplesDirectory(), "*.yaml")
            .Select(f => File.ReadLines(f).First(l => l.StartsWith("kind:", StringComparison.Ordinal))[5..].Trim())
            .ToHashSet();
        kinds.ShouldBe(["training", "inference", "llm", "hidden", "tco", "envelope"], ignoreOrder: true);
    }

    private static string ExamplesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "ModelMeter.slnx")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("examples/ not found above " + AppContext.BaseDirectory);
    }
}
