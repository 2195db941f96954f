using System.Diagnostics;
using System.Text.Json;
using ModelMeter.Application.Alerts;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Import.Demo;

namespace ModelMeter.Application.Tests.Alerts;

/// <summary>The demo's store (October 2026 and its daily history), built once and copied into each test's folder.</summary>
public sealed class DemoStoreFixture : IDisposable
{
    private readonly AppHarness _app = new();

    public DemoStoreFixture() => _app.Get<DemoUseCase>().Run(new DemoRequest { Month = "2026-10" });

    internal AppHarness Copy()
    {
        var app = new AppHarness();
        Directory.CreateDirectory(Path.GetDirectoryName(app.StorePath)!);
        File.Copy(_app.StorePath, app.StorePath);
        return app;
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>
/// <c>alert</c> against real receivers: a local HTTP listener (one that fails first) and a real Prometheus
/// Alertmanager on loopback. Each finding reaches each sink once, whatever the runs.
/// </summary>
public sealed class AlertUseCaseTests(DemoStoreFixture demo) : IClassFixture<DemoStoreFixture>
{
    private const string SecretVariable = "MODELMETER_TEST_HOOK_SECRET";
    private const string Secret = "s3cr3t-for-tests";
    private static readonly StoreOptions Options = new(Config: "alerts.yaml");

    static AlertUseCaseTests() => Environment.SetEnvironmentVariable(SecretVariable, Secret);

    /// <summary>The demo's tag policy, a quarterly budget for search (spent past its amount in October) and the given sinks.</summary>
    private static string Config(string sinks, string budgetSinks = "[hook]", string onExceed = "", string anomalySinks = "[hook]")
    {
        var policy = DemoPolicy.Yaml[..DemoPolicy.Yaml.IndexOf("# Budgets nest", StringComparison.Ordinal)]
            .Replace("path: ../meter.duckdb", "path: .modelmeter/meter.duckdb", StringComparison.Ordinal);
        return policy + $$"""
            budgets:
              - name: search-q
                scope: ["tag:team=search"]
                period: quarter
                amount: 5000
                owner: search-lead@acme.example
                sinks: {{budgetSinks}}
            {{onExceed}}
            alerts:
              sinks:
            {{sinks}}
            anomalies:
              by: tag:team
              last: 30d
              sinks: {{anomalySinks}}

            """;
    }

    private static string Hook(string url) => $"""
            - name: hook
              kind: webhook
              url: {url}
              secret_env: {SecretVariable}
              retries: 1
              backoff_seconds: 0
              timeout_seconds: 5
        """;

    [Fact]
    public async Task Webhook_AFailedDeliveryIsRetriedByTheNextRun_AndEveryFindingArrivesOnce_Signed()
    {
        using var app = demo.Copy();
        using var receiver = new LocalReceiver(failFirst: 2); // the first delivery's two attempts
        app.WriteText(Config(Hook(receiver.Url)), "alerts.yaml");
        var alert = app.Get<AlertUseCase>();

        var first = await alert.RunAsync(new AlertRequest { Store = Options });
        var failed = first.Deliveries.Where(d => d.Status == "failed").ShouldHaveSingleItem();
        failed.Attempts.ShouldBe(2);
        failed.Error.ShouldNotBeNull().ShouldContain("HTTP 500");
        first.Findings.Select(f => f.Key).ShouldContain("budget:search-q:2026-Q4:actual:100");
        first.Findings.Select(f => f.Key).ShouldContain("budget:search-q:2026-Q4:actual:50");
        first.Findings.ShouldContain(f => f.Kind == "anomaly");

        var second = await alert.RunAsync(new AlertRequest { Store = Options });
        second.Deliveries.Where(d => d.Status == "sent").ShouldHaveSingleItem().FindingKey.ShouldBe(failed.FindingKey);
        var requests = receiver.Requests.Count;

        var third = await alert.RunAsync(new AlertRequest { Store = Options });
        third.Deliveries.ShouldAllBe(d => d.Status == "already_sent");
        receiver.Requests.Count.ShouldBe(requests);

        var keys = receiver.Accepted.Select(r => r.Headers[AlertSinks.DeliveryHeader]).ToList();
        keys.ShouldBeUnique();
        keys.Order(StringComparer.Ordinal).ShouldBe(first.Findings.Select(f => f.Key).Order(StringComparer.Ordinal));
        foreach (var request in receiver.Requests)
        {
            request.Path.ShouldBe("/hook");
            request.Headers[AlertSinks.SignatureHeader].ShouldBe(AlertSinks.Signature(Secret, request.Body));
            using var body = JsonDocument.Parse(request.Body);
            body.RootElement.GetProperty("key").GetString().ShouldBe(request.Headers[AlertSinks.DeliveryHeader]);
        }
    }

    [Fact]
    public async Task Signature_IsHmacSha256OfTheRawBody_InLowerCaseHex()
    {
        // RFC 4231 test case 2.
        AlertSinks.Signature("Jefe", "what do ya want for nothing?"u8.ToArray())
            .ShouldBe("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Slack_GetsAnIncomingWebhookPayload_WithTheTitleAndSummary()
    {
        using var app = demo.Copy();
        using var receiver = new LocalReceiver();
        app.WriteText(Config($"""
                - name: slack
                  kind: slack
                  url: {receiver.Url}
                  backoff_seconds: 0
            """, budgetSinks: "[slack]", anomalySinks: "[slack]"), "alerts.yaml");

        var run = await app.Get<AlertUseCase>().RunAsync(new AlertRequest { Store = Options });

        var breach = run.Findings.Single(f => f.Key == "budget:search-q:2026-Q4:actual:100");
        var request = receiver.Accepted.Single(r => r.Headers[AlertSinks.DeliveryHeader] == breach.Key);
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["text"]);
        body.RootElement.GetProperty("text").GetString().ShouldBe($"*{breach.Title}*\n{breach.Summary}");
        request.Headers.ContainsKey(AlertSinks.SignatureHeader).ShouldBeFalse();
    }

    [Fact]
    public async Task DryRun_SendsNothing_AndChangesNothing()
    {
        using var app = demo.Copy();
        using var receiver = new LocalReceiver();
        app.WriteText(Config(Hook(receiver.Url)), "alerts.yaml");
        var alert = app.Get<AlertUseCase>();

        var dry = await alert.RunAsync(new AlertRequest { Store = Options, DryRun = true });
        var again = await alert.RunAsync(new AlertRequest { Store = Options, DryRun = true });

        dry.Deliveries.ShouldNotBeEmpty();
        dry.Deliveries.ShouldAllBe(d => d.Status == "would_send");
        again.Deliveries.Count(d => d.Status == "would_send").ShouldBe(dry.Deliveries.Count);
        receiver.Requests.ShouldBeEmpty();

        var real = await alert.RunAsync(new AlertRequest { Store = Options });
        real.Deliveries.Count(d => d.Status == "sent").ShouldBe(dry.Deliveries.Count);
    }

    [Fact]
    public async Task TwoRunsAtOnce_SendEachFindingOnce()
    {
        using var app = demo.Copy();
        using var receiver = new LocalReceiver();
        app.WriteText(Config(Hook(receiver.Url)), "alerts.yaml");
        var alert = app.Get<AlertUseCase>();

        var runs = await Task.WhenAll(
            Task.Run(() => alert.RunAsync(new AlertRequest { Store = Options })),
            Task.Run(() => alert.RunAsync(new AlertRequest { Store = Options })));

        var findings = runs.SelectMany(r => r.Findings).Select(f => f.Key).Distinct().Count();
        findings.ShouldBeGreaterThan(0);
        var keys = receiver.Accepted.Select(r => r.Headers[AlertSinks.DeliveryHeader]).ToList();
        keys.ShouldBeUnique();
        keys.Count.ShouldBe(findings);
        runs.SelectMany(r => r.Deliveries).Count(d => d.Status == "sent").ShouldBe(findings);
    }

    [Fact]
    public async Task Alertmanager_ReceivesTheBudgetAlert_WithBudgetTeamAndSeverityLabels()
    {
        using var app = demo.Copy();
        using var alertmanager = Alertmanager.Start(app.Temp.Path);
        app.WriteText(Config($"""
                - name: am
                  kind: alertmanager
                  url: {alertmanager.Url}
                  backoff_seconds: 0
            """, budgetSinks: "[am]", anomalySinks: "[am]"), "alerts.yaml");

        var run = await app.Get<AlertUseCase>().RunAsync(new AlertRequest { Store = Options });
        run.Deliveries.ShouldAllBe(d => d.Status == "sent", run.Deliveries.FirstOrDefault(d => d.Status != "sent")?.Error ?? "");

        using var http = new HttpClient();
        JsonElement[] alerts = [];
        for (var i = 0; i < 50 && alerts.Length == 0; i++)
        {
            var text = await http.GetStringAsync(new Uri($"{alertmanager.Url}/api/v2/alerts?filter=alertname%3D%22ModelMeterBudget%22"));
            alerts = [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(a => a.Clone())];
            await Task.Delay(100);
        }

        var breach = alerts.Single(a => a.GetProperty("labels").GetProperty("finding").GetString() == "budget:search-q:2026-Q4:actual:100");
        var labels = breach.GetProperty("labels");
        labels.GetProperty("budget").GetString().ShouldBe("search-q");
        labels.GetProperty("team").GetString().ShouldBe("search");
        labels.GetProperty("severity").GetString().ShouldBe("critical");
        breach.GetProperty("annotations").GetProperty("summary").GetString().ShouldNotBeNull().ShouldContain("search-q");
    }

    [Fact]
    public async Task OnExceedCommand_GetsTheFindingOnStdin_ANonZeroExitIsRetried_AndDryRunNeverRunsIt()
    {
        using var app = demo.Copy();
        app.WriteText("#!/bin/sh\ncat > \"$1\"\nexit \"$(cat exit-code)\"\n", "scale-down.sh");
        app.WriteText("1", "exit-code");
        app.WriteText(Config("    - name: console\n      kind: stdout", budgetSinks: "[console]", anomalySinks: "[console]",
            onExceed: "    on_exceed:\n      command: [sh, scale-down.sh, finding.json]"), "alerts.yaml");
        var alert = app.Get<AlertUseCase>();
        var output = app.Temp.File("finding.json");

        var dry = await alert.RunAsync(new AlertRequest { Store = Options, DryRun = true });
        dry.Deliveries.ShouldContain(d => d.Sink == "command:search-q" && d.Status == "would_send");
        File.Exists(output).ShouldBeFalse();

        var failing = await alert.RunAsync(new AlertRequest { Store = Options });
        var failed = failing.Deliveries.Single(d => d.Sink == "command:search-q");
        failed.Status.ShouldBe("failed");
        failed.Error.ShouldNotBeNull().ShouldContain("exited with 1");
        using (var finding = JsonDocument.Parse(File.ReadAllText(output)))
        {
            finding.RootElement.GetProperty("kind").GetString().ShouldBe("budget_action");
            finding.RootElement.GetProperty("budget").GetProperty("name").GetString().ShouldBe("search-q");
        }

        File.Delete(output);
        app.WriteText("0", "exit-code");
        (await alert.RunAsync(new AlertRequest { Store = Options })).Deliveries.Single(d => d.Sink == "command:search-q").Status.ShouldBe("sent");
        File.Exists(output).ShouldBeTrue();

        File.Delete(output);
        await alert.RunAsync(new AlertRequest { Store = Options });
        File.Exists(output).ShouldBeFalse();
    }
}

/// <summary>A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by ./test.sh) on a loopback port.</summary>
internal sealed class Alertmanager : IDisposable
{
    private const string Binary = "/usr/bin/prometheus-alertmanager";
    private readonly Process _process;

    private Alertmanager(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static Alertmanager Start(string folder)
    {
        File.Exists(Binary).ShouldBeTrue($"{Binary} is missing: apt-get install -y --no-install-recommends prometheus-alertmanager (./test.sh installs it).");
        var config = Path.Combine(folder, "am.yml");
        File.WriteAllText(config, "route:\n  receiver: 'null'\n  group_by: ['alertname']\nreceivers:\n  - name: 'null'\n");
        var port = LocalReceiver.FreePort();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.path={Path.Combine(folder, "am-data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start).ShouldNotBeNull();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                if (http.GetAsync(new Uri(url + "/-/ready")).GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return new Alertmanager(process, url);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            process.HasExited.ShouldBeFalse($"prometheus-alertmanager exited with {(process.HasExited ? process.ExitCode : 0)}");
            Thread.Sleep(100);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"prometheus-alertmanager was not ready at {url} within 20 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
