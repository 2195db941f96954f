using System.Text;
using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter demo --month 2026-10</c> (with its four months of daily history) once; the clock is 2026-11-15.</summary>
public sealed class DemoHistoryCliFixture : IAsyncLifetime, IDisposable
{
    public const string DemoConfig = ".modelmeter/demo/modelmeter.yaml";

    public CliRunner Cli { get; } = new(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero));

    public CliOutput Demo { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync() => Demo = await Cli.RunAsync("demo", "--month", "2026-10");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Cli.Dispose();
}

/// <summary>budget, forecast, anomalies, alert and check --budget-name through the CLI, on the demo.</summary>
public sealed class BudgetCommandsTests(DemoHistoryCliFixture demo) : IClassFixture<DemoHistoryCliFixture>
{
    private const string Config = DemoHistoryCliFixture.DemoConfig;

    public static TheoryData<string, string[]> Pinned() => new()
    {
        { "budget-status", ["budget", "status", "--config", Config, "--as-of", "2026-10-20"] },
        { "budget-list", ["budget", "list", "--config", Config] },
        // The demo's history is the cloud bill's; its costs outside the bill land in its month only (the config's budgets
        // and anomalies watch the cloud bill; without the config these say so with --where).
        { "forecast-backtest", ["forecast", "--by", "tag:team", "--backtest", "--where", "ProviderName!=internal"] },
        { "anomalies", ["anomalies", "--by", "tag:team", "--last", "60d", "--config", Config] },
        { "anomalies-labels", ["anomalies", "--by", "tag:team", "--labels", ".modelmeter/demo/anomalies-planted.csv", "--where", "ProviderName!=internal"] },
        { "alert-dry-run", ["alert", "--dry-run", "--config", Config] },
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public async Task Output_IsAsPinned(string name, string[] args)
    {
        demo.Demo.ExitCode.ShouldBe(0, demo.Demo.Error);

        var run = await demo.Cli.RunAsync(args);

        var text = new StringBuilder()
            .Append("$ modelmeter ").AppendJoin(' ', args).Append('\n')
            .Append("exit ").Append(run.ExitCode).Append('\n')
            .Append("--- stdout\n").Append(PinnedOutputTests.Normalize(run.Out, demo.Cli.Directory))
            .Append("--- stderr\n").Append(PinnedOutputTests.Normalize(run.Error, demo.Cli.Directory))
            .ToString();
        var path = Path.Combine(PinnedOutputTests.ExpectationsDirectory(), name + ".txt");
        if (Environment.GetEnvironmentVariable("MODELMETER_UPDATE_EXPECTATIONS") == "1")
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
            return;
        }

        File.Exists(path).ShouldBeTrue($"No expectation {path}; create it with MODELMETER_UPDATE_EXPECTATIONS=1 and review it.");
        text.ShouldBe(File.ReadAllText(path), $"The output of `modelmeter {string.Join(' ', args)}` changed. If intended, regenerate {name}.txt and review the diff.");
    }

    [Fact]
    public async Task ForecastJson_NamesEveryForecasterWithItsMape_AndTheStraightLineLosesToTheDefault()
    {
        var run = await demo.Cli.RunAsync("forecast", "--by", "tag:team", "--backtest", "--format", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var forecasters = json.RootElement.GetProperty("forecasters").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        forecasters.Keys.ShouldBe(["straight_line", "trailing_28d", "seasonal"], ignoreOrder: true);
        var chosen = forecasters.Values.Single(f => f.GetProperty("default").GetBoolean());
        chosen.GetProperty("mape").GetDecimal().ShouldBeLessThan(forecasters["straight_line"].GetProperty("mape").GetDecimal());
        foreach (var scope in json.RootElement.GetProperty("scopes").EnumerateArray())
        {
            var (forecast, lower, upper) = (scope.GetProperty("forecast").GetDecimal(), scope.GetProperty("lower").GetDecimal(), scope.GetProperty("upper").GetDecimal());
            lower.ShouldBeLessThanOrEqualTo(forecast);
            forecast.ShouldBeLessThanOrEqualTo(upper);
        }
    }

    [Fact]
    public async Task AnomaliesJson_ListsDateDimensionsFiguresDetectorAndDrivers()
    {
        var run = await demo.Cli.RunAsync("anomalies", "--by", "tag:team", "--last", "90d", "--format", "json");

        run.ExitCode.ShouldBe(0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var anomalies = json.RootElement.GetProperty("anomalies").EnumerateArray().ToList();
        anomalies.ShouldNotBeEmpty();
        foreach (var anomaly in anomalies)
        {
            anomaly.GetProperty("date").GetString()!.ShouldMatch(@"^\d{4}-\d{2}-\d{2}$");
            anomaly.GetProperty("dimensions").GetProperty("tag:team").GetString().ShouldNotBeNullOrEmpty();
            (anomaly.GetProperty("actual").GetDecimal() - anomaly.GetProperty("expected").GetDecimal()).ShouldBe(anomaly.GetProperty("impact").GetDecimal());
            anomaly.GetProperty("score").GetDecimal().ShouldBeGreaterThan(0m);
            anomaly.GetProperty("detector").GetString().ShouldBe("seasonal_mad");
            anomaly.GetProperty("drivers").GetArrayLength().ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task CheckBudgetName_TakesTheConfiguredBudget_AndGatesOnIt()
    {
        var within = await demo.Cli.RunAsync("check", "--budget-name", "search", "--total", "100", "--config", Config, "--format", "json");
        var over = await demo.Cli.RunAsync("check", "--budget-name", "search", "--total", "20000", "--config", Config, "--format", "json");
        var unknown = await demo.Cli.RunAsync("check", "--budget-name", "nope", "--total", "100", "--config", Config);

        within.ExitCode.ShouldBe(0, within.Out + within.Error);
        using (var json = JsonDocument.Parse(within.Out))
        {
            json.RootElement.GetProperty("budget").GetDecimal().ShouldBe(9500m);
            json.RootElement.GetProperty("scope").GetString().ShouldBe("ProviderName!=internal and tag:cost_center=CC-100 and tag:team=search"); // inside cc-100 inside acme-ml (the cloud bill): its scope adds to its ancestors'
            json.RootElement.GetProperty("period").GetString().ShouldBe("2026-11");
        }

        over.ExitCode.ShouldBe(1, over.Out + over.Error);
        unknown.ExitCode.ShouldBe(2);
        unknown.Error.ShouldContain("'nope' is not a configured budget");
        unknown.Error.ShouldContain("search");
    }

    [Fact]
    public async Task BudgetAdd_WritesTheConfig_ListShowsIt_RemoveTakesItOut()
    {
        File.Copy(Path.Combine(demo.Cli.Directory, Config), Path.Combine(demo.Cli.Directory, ".modelmeter/demo/mine.yaml"), overwrite: true);
        const string Mine = ".modelmeter/demo/mine.yaml";

        var add = await demo.Cli.RunAsync("budget", "add", "recsys", "--amount", "3000", "--scope", "tag:team=recsys", "--parent", "acme-ml", "--owner", "recsys-lead@acme.example", "--config", Mine);
        var list = await demo.Cli.RunAsync("budget", "list", "--config", Mine, "--format", "json");
        var status = await demo.Cli.RunAsync("budget", "status", "recsys", "--config", Mine, "--as-of", "2026-10-20", "--format", "json");
        var remove = await demo.Cli.RunAsync("budget", "remove", "recsys", "--config", Mine);
        var after = await demo.Cli.RunAsync("budget", "list", "--config", Mine, "--format", "json");

        add.ExitCode.ShouldBe(0, add.Error);
        list.Out.ShouldContain("\"recsys\"");
        status.ExitCode.ShouldBe(0, status.Error);
        using (var json = JsonDocument.Parse(status.Out))
        {
            var recsys = json.RootElement.GetProperty("budgets").EnumerateArray().Single();
            recsys.GetProperty("parent").GetString().ShouldBe("acme-ml");
            recsys.GetProperty("spent").GetDecimal().ShouldBeGreaterThan(0m);
        }

        remove.ExitCode.ShouldBe(0, remove.Error);
        after.Out.ShouldNotContain("\"recsys\"");
    }
}
