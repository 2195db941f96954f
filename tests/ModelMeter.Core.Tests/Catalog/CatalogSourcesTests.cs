using System.Text.RegularExpressions;

namespace ModelMeter.Core.Tests.Catalog;

/// <summary>The catalogue's sources are files a user's clone has, and no shipped text names one machine's folders.</summary>
public sealed partial class CatalogSourcesTests
{
    [Fact]
    public void EveryDocumentTheCatalogueAndExamplesCite_IsInTheRepository()
    {
        var root = RepositoryRoot();
        var cited = Directory.EnumerateFiles(Path.Combine(root, "data"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "examples")))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Where(p => !p.Contains("/obj/", StringComparison.Ordinal)))
            .SelectMany(file => MarkdownReference().Matches(File.ReadAllText(file)).Select(m => (File: file, Reference: m.Value)))
            .ToList();

        cited.ShouldContain(c => c.Reference == "docs/prices.md");
        foreach (var (file, reference) in cited)
        {
            File.Exists(Path.Combine(root, reference)).ShouldBeTrue($"{Path.GetRelativePath(root, file)} cites {reference}, which is not in the repository");
        }
    }

    [Fact]
    public void NoShippedTextNamesAnAbsoluteMachinePath()
    {
        var root = RepositoryRoot();
        string[] folders = ["data", "docs", "eng", "examples", "src", "bench"];
        var offenders = folders
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(root, f), "*", SearchOption.AllDirectories))
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/out/", StringComparison.Ordinal))
            .Where(p => Path.GetExtension(p) is ".md" or ".py" or ".cs" or ".yaml" or ".sh" or ".csproj")
            .Concat([Path.Combine(root, "README.md"), Path.Combine(root, "BENCHMARKS.md")])
            .Where(p => MachinePath().IsMatch(File.ReadAllText(p)))
            .Select(p => Path.GetRelativePath(root, p))
            .ToList();

        offenders.ShouldBeEmpty();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelMeter.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ModelMeter.slnx not found above the test folder.");
    }

    [GeneratedRegex(@"\b(?:docs|data)/[\w./-]+\.md\b")]
    private static partial Regex MarkdownReference();

    [GeneratedRegex(@"(?<![\w.])/(?:work|home|root|Users)/\w")]
    private static partial Regex MachinePath();
}
