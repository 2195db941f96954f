using System.Text.Json;
using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter import aws-cur|gcp-billing|azure-cost</c> as a user runs them.</summary>
public sealed class ImportExportCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Copy(string fixture) => Path.GetFileName(ExportFixtures.CopyTo(_cli.WorkingDirectory, fixture));

    [Fact]
    public async Task ImportingTheThreeClouds_ThenOneReportByTeam_ShowsEachTeamsCostAcrossThem()
    {
        (await _cli.Run("import", "aws-cur", Copy(ExportFixtures.AwsCur2), "--quiet")).ExitCode.ShouldBe(0);
        (await _cli.Run("import", "gcp-billing", Copy(ExportFixtures.GcpJsonLines), "--quiet")).ExitCode.ShouldBe(0);
        (await _cli.Run("import", "azure-cost", Copy(ExportFixtures.AzureEaAmortized), "--quiet")).ExitCode.ShouldBe(0);

        var report = await _cli.Run("report", "--by", "tag:team", "--month", "2026-10", "--format", "csv");

        report.ExitCode.ShouldBe(0);
        report.Out.Replace("\r", "", StringComparison.Ordinal).ShouldBe("""
            tag:team,currency,cost,share
            nlp,USD,32.3100000181,0.497435
            vision,USD,17.993210987654321099,0.277018
            recsys,USD,12.3,0.189367
            platform,USD,3,0.046187
            (untagged),USD,-0.65,-0.010007

            """);
    }

    [Fact]
    public async Task ImportJson_IsTheDocument_WithTheMappingAndTheProvidersTotal()
    {
        var run = await _cli.Run("import", "gcp-billing", Copy(ExportFixtures.GcpCsv), "--format", "json");

        run.ExitCode.ShouldBe(0);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        root.GetProperty("outcome").GetString().ShouldBe("imported");
        root.GetProperty("kind").GetString().ShouldBe("gcp-billing");
        root.GetProperty("mapping").GetString().ShouldBe("gcp-billing/1");
        var total = root.GetProperty("provider_totals")[0];
        total.GetProperty("amount").GetDecimal().ShouldBe(21.45m);
        total.GetProperty("column").GetString().ShouldBe("BilledCost");
        root.GetProperty("files")[0].GetProperty("format").GetString().ShouldBe("BigQuery export");
    }

    [Fact]
    public async Task ARefusedExport_ExitsWith2_AndNamesFileLineAndColumn_OnStderr()
    {
        _cli.WriteText("BillingAccountId,Date,CostInBillingCurrency,BillingCurrencyCode\n1,25/09/2026,1.00,USD\n", "dmy.csv");
        var before = await _cli.StoreSnapshot();

        var run = await _cli.Run("import", "azure-cost", "dmy.csv");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("error: 1 problem in 1 row; nothing was imported and the store is unchanged.");
        run.Err.ShouldContain("dmy.csv: line 2, column 2 (Date): '25/09/2026' is a day/month/year date");
        (await _cli.StoreSnapshot()).ShouldBe(before);
    }

    [Fact]
    public async Task Imports_ShowsTheMappingOfEachProvidersImport()
    {
        await _cli.Run("import", "aws-cur", Copy(ExportFixtures.AwsLegacyCur), "--quiet");

        var run = await _cli.Run("imports", "--format", "json");

        using var json = JsonDocument.Parse(run.Out);
        var import = json.RootElement.GetProperty("imports")[0];
        (import.GetProperty("kind").GetString(), import.GetProperty("mapping").GetString()).ShouldBe(("aws-cur", "aws-cur/1"));
    }
}
