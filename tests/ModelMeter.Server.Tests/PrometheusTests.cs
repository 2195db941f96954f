using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ModelMeter.Server.Tests;

/// <summary>
/// /metrics scraped by a real Prometheus (Debian's <c>prometheus</c>, installed by ./test.sh) from the server on
/// Kestrel, as an operator would run them. A missing Prometheus fails the test.
/// </summary>
public sealed class PrometheusTests : IDisposable
{
    private const string Binary = "/usr/bin/prometheus";
    private readonly ServerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Prometheus_ScrapesTheServersMetrics_MonthToDateCostByTeamAndModel_AndBudgetUse()
    {
        File.Exists(Binary).ShouldBeTrue($"{Binary} is missing: ./test.sh installs Debian's prometheus package (apt-get install -y prometheus).");
        await using var app = ModelMeterServer.Create(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?> { ["ModelMeter:WorkingDirectory"] = _harness.Temp.Path },
            builder => builder.Services.AddSingleton<TimeProvider>(_harness.Clock));
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using (var http = new HttpClient { BaseAddress = new Uri(url) })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", _harness.Keys["admin"]);
            var posted = await http.PostAsync("/api/v1/usage", new StringContent("""{"timestamp":"2026-10-10T00:00:00Z","metric":"predictions","value":3}""", Encoding.UTF8, "application/json"));
            posted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var port = FreePort();
        var folder = _harness.Temp.File("prometheus");
        Directory.CreateDirectory(folder);
        var target = new Uri(url).Authority;
        File.WriteAllText(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: modelmeter
                authorization:
                  credentials: {_harness.Keys["org-viewer"]}
                static_configs:
                  - targets: ["{target}"]
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(Binary,
            [$"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var cost = await Query(client, "modelmeter_cost_month_to_date");
            cost.Select(s => $"{s.Labels["team"]}/{s.Labels["model"]} {s.Value}").ShouldBe(["(untagged)/(untagged) 5", "nlp/bert 10", "vision/yolo 20"], ignoreOrder: true);
            (await Query(client, "modelmeter_usage_events_accepted_total")).ShouldHaveSingleItem().Value.ShouldBe("1");

            // Budget use as `budget status` computes it: org 35 of 100, nlp 10 of 20, vision 20 of 15 (over).
            var spent = await Query(client, "modelmeter_budget_spent");
            spent.Select(s => $"{s.Labels["budget"]} {s.Labels["period"]} {s.Labels["currency"]} {s.Value}").ShouldBe(["org 2026-10 USD 35", "nlp 2026-10 USD 10", "vision 2026-10 USD 20"], ignoreOrder: true);
            spent.Single(s => s.Labels["budget"] == "nlp").Labels["team"].ShouldBe("nlp");
            (await Query(client, "modelmeter_budget_amount")).Select(s => $"{s.Labels["budget"]} {s.Value}").ShouldBe(["org 100", "nlp 20", "vision 15"], ignoreOrder: true);
            (await Query(client, "modelmeter_budget_used_ratio")).Select(s => $"{s.Labels["budget"]} {s.Value}").ShouldBe(["org 0.35", "nlp 0.5", "vision 1.333333"], ignoreOrder: true);
            var status = Budgets(app).Status(new ModelMeter.Application.Budgets.BudgetStatusRequest()).Budgets.ToDictionary(b => b.Name);
            foreach (var forecast in await Query(client, "modelmeter_budget_forecast"))
            {
                decimal.Parse(forecast.Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(status[forecast.Labels["budget"]].Forecast, forecast.Labels["budget"]);
            }

            (await Query(client, "modelmeter_budget_forecast_ratio")).Count.ShouldBe(3);
            (await Query(client, "up{job=\"modelmeter\"}")).ShouldHaveSingleItem().Value.ShouldBe("1");
            (await Query(client, "modelmeter_usage_write_duration_seconds_count")).ShouldHaveSingleItem().Value.ShouldBe("1");

            // The shipped Grafana dashboard: every query is valid PromQL over metrics the server exports.
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", _harness.Keys["org-viewer"]);
            var exported = await http.GetStringAsync("/metrics");
            var queries = DashboardQueries();
            queries.Count.ShouldBeGreaterThan(8);
            foreach (var expr in queries)
            {
                foreach (var name in System.Text.RegularExpressions.Regex.Matches(expr, @"modelmeter_[a-z0-9_]+").Select(m => m.Value))
                {
                    exported.ShouldContain(name.EndsWith("_bucket", StringComparison.Ordinal) ? name + "{" : name + " ", customMessage: $"the dashboard's query {expr} reads {name}, which /metrics does not export");
                }

                var answer = await client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$job", "modelmeter", StringComparison.Ordinal)));
                JsonDocument.Parse(answer).RootElement.GetProperty("status").GetString().ShouldBe("success", expr);
            }
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            await app.StopAsync();
        }
    }

    private static ModelMeter.Application.Budgets.BudgetsUseCase Budgets(WebApplication app) => app.Services.GetRequiredService<ModelMeter.Application.Budgets.BudgetsUseCase>();

    private static async Task<List<(Dictionary<string, string> Labels, string Value)>> Query(HttpClient client, string query)
    {
        for (var i = 0; i < 150; i++)
        {
            try
            {
                var text = await client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
                var result = JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return result.EnumerateArray().Select(r => (
                        r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                        r.GetProperty("value")[1].GetString()!)).ToList();
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prometheus returned no sample of {query} within 30 s.");
    }

    /// <summary>Every PromQL expression of deploy/grafana/modelmeter-dashboard.json.</summary>
    private static List<string> DashboardQueries()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelMeter.slnx")))
        {
            directory = directory.Parent;
        }

        var file = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("ModelMeter.slnx not found above the test binaries."), "deploy", "grafana", "modelmeter-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
