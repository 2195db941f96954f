using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Unit;
using ModelMeter.Core.Monetary;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ModelMeter.Dashboard.Tests;

/// <summary>
/// Every page in a real Chromium: it loads without console errors, shows the demo's figures as the CLI computes them
/// (the same use cases `modelmeter report|allocate|tags --format json` print), draws its chart, and keeps its filters
/// in the URL. Screenshots land in bin/.../screenshots.
/// </summary>
[Collection(DashboardGroup.Name)]
public sealed class DashboardTests(DashboardFixture dashboard)
{
    private const string Month = DashboardFixture.Month;

    private IWebDriver Browser => dashboard.Browser;

    private static string Money(decimal amount) => MoneyText.Amount(amount, "USD") + " USD";

    private CostReport Report(string? by = null, params string[] where) =>
        dashboard.Services.GetRequiredService<ReportUseCase>().Run(new ReportRequest
        {
            Store = dashboard.Store,
            Query = new CostQueryText { By = by, Month = Month, Where = where },
            Top = by is null ? null : 10,
        });

    private string Text(string css) => Browser.FindElement(By.CssSelector(css)).Text;

    private Dictionary<string, string> Table(string dimension) =>
        Browser.FindElements(By.CssSelector($"table.breakdown[data-dimension='{dimension}'] tbody tr"))
            .ToDictionary(r => r.FindElement(By.CssSelector("th")).Text, r => r.FindElement(By.CssSelector("td.num")).Text);

    private void ChartRendered()
    {
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.FindElements(By.CssSelector("figure.chart[data-rendered='true'] canvas")).Count > 0)
            .ShouldBeTrue("uPlot drew the chart");
        var canvas = Browser.FindElement(By.CssSelector("figure.chart canvas"));
        canvas.Size.Width.ShouldBeGreaterThan(200);
    }

    [Fact]
    public void Overview_ShowsTheMonth_TopTeamsModelsAndServices_AsTheCliDoes_WithAChart()
    {
        var errors = dashboard.Open($"/?month={Month}");
        dashboard.Screenshot("overview");

        errors.ShouldBeEmpty();
        Text("[data-total='USD']").ShouldBe(Money(Report().Totals["USD"]));
        var teams = Report("tag:team");
        Table("tag:team").ShouldBe(teams.Rows.ToDictionary(r => r.Values[0], r => Money(r.Cost)));
        Table("tag:model").ShouldBe(Report("tag:model").Rows.ToDictionary(r => r.Values[0], r => Money(r.Cost)));
        Table("ServiceName").ShouldBe(Report("ServiceName").Rows.ToDictionary(r => r.Values[0], r => Money(r.Cost)));
        ChartRendered();
        Browser.FindElements(By.CssSelector("table.daily tbody tr")).Count.ShouldBe(31);
    }

    [Fact]
    public void AFilter_ChangesTheUrl_AndTheFigures()
    {
        dashboard.Open($"/?month={Month}");
        Browser.FindElement(By.CssSelector("select[name=environment] option[value=prod]")).Click();
        Browser.FindElement(By.CssSelector("form.filters button")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("environment=prod", StringComparison.Ordinal));
        dashboard.Screenshot("overview-prod");

        Browser.Url.ShouldContain($"month={Month}");
        var prod = Report(where: "tag:environment=prod").Totals["USD"];
        prod.ShouldBeLessThan(Report().Totals["USD"]);
        Text("[data-total='USD']").ShouldBe(Money(prod));
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    [Fact]
    public void TeamPage_ShowsTheTeamsCostAndAllocatedShare()
    {
        var errors = dashboard.Open($"/teams/nlp?month={Month}");
        dashboard.Screenshot("team-nlp");

        errors.ShouldBeEmpty();
        Text("[data-total='USD']").ShouldBe(Money(Report(where: "tag:team=nlp").Totals["USD"]));
        var showback = dashboard.Services.GetRequiredService<AllocationUseCase>().Run(new AllocationRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month } });
        var nlp = showback.Showback!.Statements.Single(s => s.Currency == "USD").Lines.Single(l => l.Target == "nlp");
        Text("[data-allocated='USD']").ShouldBe(Money(nlp.Total));
        Table("tag:model").ShouldBe(Report("tag:model", "tag:team=nlp").Rows.ToDictionary(r => r.Values[0], r => Money(r.Cost)));
        ChartRendered();
    }

    [Fact]
    public void ModelPage_ShowsTheModelsCostByTeam()
    {
        var model = Report("tag:model").Rows.First(r => !r.Values[0].StartsWith('(')).Values[0];
        var errors = dashboard.Open($"/models/{model}?month={Month}");
        dashboard.Screenshot("model");

        errors.ShouldBeEmpty();
        Text("[data-total='USD']").ShouldBe(Money(Report(where: $"tag:model={model}").Totals["USD"]));
        Table("tag:team").ShouldBe(Report("tag:team", $"tag:model={model}").Rows.ToDictionary(r => r.Values[0], r => Money(r.Cost)));
        ChartRendered();
    }

    [Fact]
    public void Allocation_IsTheShowbackStatement_AndExplainsATeam()
    {
        var errors = dashboard.Open($"/allocation?month={Month}");
        dashboard.Screenshot("allocation");

        errors.ShouldBeEmpty();
        var allocation = dashboard.Services.GetRequiredService<AllocationUseCase>();
        var statement = allocation.Run(new AllocationRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month } }).Showback!.Statements.Single(s => s.Currency == "USD");
        Text("[data-statement-total='USD']").ShouldBe(Money(statement.Total));
        foreach (var line in statement.Lines)
        {
            Text($"[data-total='{line.Target}']").ShouldBe(Money(line.Total));
        }

        Browser.FindElement(By.CssSelector("a[href*='explain=tag%3Ateam%3Dnlp']")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("explain=", StringComparison.Ordinal));
        dashboard.Screenshot("allocation-explain-nlp");
        var explained = allocation.Run(new AllocationRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month }, Explain = "tag:team=nlp" }).Explanation!;
        Text("[data-explained-total='USD']").ShouldBe(Money(explained.Totals["USD"]));
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    [Fact]
    public void TagCompliance_ShowsTheFullyTaggedShare()
    {
        var errors = dashboard.Open($"/tags?month={Month}");
        dashboard.Screenshot("tags");

        errors.ShouldBeEmpty();
        var compliance = dashboard.Services.GetRequiredService<TagsUseCase>().Run(new TagsRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month } });
        var usd = compliance.Currencies.Single(c => c.Currency == "USD");
        Text("[data-fully-tagged='USD']").ShouldBe(usd.FullyTaggedPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%");
    }

    [Fact]
    public void Budgets_IsTheTree_WithSpentPercentForecastAndStatus_AsBudgetStatusComputesThem()
    {
        var errors = dashboard.Open("/");
        Browser.FindElement(By.CssSelector("nav a[href='/budgets']")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.EndsWith("/budgets", StringComparison.Ordinal));
        errors = [.. errors, .. dashboard.ConsoleErrors()];
        dashboard.Screenshot("budgets");

        errors.ShouldBeEmpty();
        Browser.FindElement(By.CssSelector("nav a[href='/budgets']")).GetAttribute("aria-current").ShouldBe("page");
        var status = dashboard.Services.GetRequiredService<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = dashboard.Store });
        status.Budgets.Select(b => b.Name).ShouldBe(["acme-ml", "cc-100", "search", "nlp", "platform", "vision-quarter"], ignoreOrder: true);
        Browser.FindElements(By.CssSelector("table.budgets tbody tr")).Select(r => r.GetAttribute("data-budget")).ShouldBe(status.Budgets.Select(b => b.Name));
        ShowsTheFigures(status);
        status.Budgets.ShouldContain(b => b.Status != "ok", "the demo has a budget in trouble");

        // The day is a filter in the URL: as of 2026-10-20 the October figures, as `budget status --as-of 2026-10-20`.
        dashboard.Open("/budgets?as-of=2026-10-20").ShouldBeEmpty();
        dashboard.Screenshot("budgets-as-of");
        var then = dashboard.Services.GetRequiredService<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = dashboard.Store, AsOf = "2026-10-20" });
        then.Budgets.Single(b => b.Name == "search").Period.ShouldBe("2026-10");
        then.Budgets.Single(b => b.Name == "search").Spent.ShouldNotBe(status.Budgets.Single(b => b.Name == "search").Spent);
        ShowsTheFigures(then);
        Browser.FindElement(By.CssSelector("form.filters input[name='as-of']")).GetAttribute("value").ShouldBe("2026-10-20");
    }

    private void ShowsTheFigures(BudgetStatusReport status)
    {
        foreach (var budget in status.Budgets)
        {
            var row = $"tr[data-budget='{budget.Name}']";
            Text($"{row} td[data-amount]").ShouldBe(Money(budget.Amount));
            Text($"{row} td[data-spent]").ShouldBe(Money(budget.Spent));
            Text($"{row} td[data-percent]").ShouldBe(budget.Percent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%");
            Text($"{row} td[data-forecast]").ShouldStartWith(Money(budget.Forecast));
            Text($"{row} td[data-forecast-percent]").ShouldBe(budget.ForecastPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%");
            Browser.FindElement(By.CssSelector(row)).GetAttribute("data-status").ShouldBe(budget.Status);
            Text($"{row} td[data-status-text]").ShouldBe(BudgetsModelText(budget.Status));
        }
    }

    private static string BudgetsModelText(string status) => ModelMeter.Server.Pages.BudgetsModel.StatusText(status);

    private RunsResult Runs(string? experiment = null, string? metric = null, params string[] where) =>
        dashboard.Services.GetRequiredService<RunsUseCase>().Run(new RunsRequest
        {
            Store = dashboard.Store, Month = Month, By = "experiment", Experiments = experiment is null ? [] : [experiment], Metrics = metric is null ? [] : [metric], Where = where,
        });

    private static string Cost(decimal? cost) => cost is { } c ? Money(c) : "n/a";

    [Fact]
    public void Runs_ShowEachExperimentsCostAndWaste_AsRunsComputesThem_AndTheExperimentFilterNarrowsThem()
    {
        var errors = dashboard.Open($"/runs?month={Month}");
        dashboard.Screenshot("runs");

        errors.ShouldBeEmpty();
        var all = Runs(metric: Runs().LoggedMetrics[0]);
        all.Groups.Count.ShouldBeGreaterThan(2, "the demo has several experiments");
        Text("[data-runs-cost]").ShouldBe(Cost(all.Totals.Cost));
        Text("[data-waste-cost]").ShouldBe(Cost(all.Totals.WasteCost));
        all.Totals.WasteCost.ShouldNotBeNull().ShouldBeGreaterThan(0m, "the demo has failed and killed runs");
        Browser.FindElements(By.CssSelector("table.experiments tbody tr")).Select(r => r.GetAttribute("data-experiment")).ShouldBe(all.Groups.Select(g => g.Group));
        foreach (var group in all.Groups)
        {
            Text($"table.experiments tr[data-experiment='{group.Group}'] td[data-cost]").ShouldBe(Cost(group.Cost));
            Text($"table.experiments tr[data-experiment='{group.Group}'] td[data-waste]").ShouldBe(Cost(group.WasteCost));
        }

        Browser.FindElements(By.CssSelector("table.runs tbody tr")).Count.ShouldBe(all.Runs.Count);
        ChartRendered();

        // The experiment filter is in the URL and narrows the figures, as `runs --experiment ranker-weekly`.
        Browser.FindElement(By.CssSelector("select[name=experiment] option[value='ranker-weekly']")).Click();
        Browser.FindElement(By.CssSelector("form.filters button")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("experiment=ranker-weekly", StringComparison.Ordinal));
        dashboard.Screenshot("runs-ranker-weekly");
        var ranker = Runs("ranker-weekly", "ndcg_at_10");
        Text("[data-runs-cost]").ShouldBe(Cost(ranker.Totals.Cost));
        ranker.Totals.Cost.ShouldNotBe(all.Totals.Cost);
        foreach (var run in ranker.Runs)
        {
            Text($"table.runs tr[data-run='{run.RunId}'] td[data-cost]").ShouldStartWith(Cost(run.Cost));
            Text($"table.runs tr[data-run='{run.RunId}'] td[data-metric]").ShouldBe(run.Metrics["ndcg_at_10"]!.Value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture));
        }

        ChartRendered();
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    [Fact]
    public void UnitEconomics_ShowCostPer1kPredictions_AsUnitComputesThem_AndTheGrainFilterChangesThem()
    {
        UnitReport Unit(string grain) => dashboard.Services.GetRequiredService<UnitUseCase>().Run(new UnitRequest
        {
            Store = dashboard.Store, Query = new CostQueryText { By = "tag:model", Month = Month, Grain = grain },
        });

        var errors = dashboard.Open($"/unit?month={Month}");
        dashboard.Screenshot("unit");

        errors.ShouldBeEmpty();
        var weekly = Unit("week");
        weekly.Latest.ShouldContain(r => r.CostPerThousandPredictions != null, "the demo's models serve predictions");
        ShowsTheRows(weekly);
        ChartRendered();

        Browser.FindElement(By.CssSelector("select[name=grain] option[value=month]")).Click();
        Browser.FindElement(By.CssSelector("form.filters button")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("grain=month", StringComparison.Ordinal));
        dashboard.Screenshot("unit-month");
        var monthly = Unit("month");
        monthly.Rows.Count.ShouldBeLessThan(weekly.Rows.Count);
        ShowsTheRows(monthly);
        dashboard.ConsoleErrors().ShouldBeEmpty();

        void ShowsTheRows(UnitReport report)
        {
            Browser.FindElements(By.CssSelector("table.unit-rows tbody tr")).Count.ShouldBe(report.Rows.Count);
            foreach (var row in report.Latest)
            {
                var tr = $"table.unit-latest tr[data-scope='{row.Scope}'][data-currency='{row.Currency}']";
                Text($"{tr} td[data-cost]").ShouldBe(Money(row.Cost));
                Text($"{tr} td[data-per-1k]").ShouldBe(ModelMeter.Server.Pages.UnitModel.Unit(row.CostPerThousandPredictions, row.Currency));
            }
        }
    }

    [Fact]
    public void Kpis_AreTheTable_WithValuesAndStatus_AsKpiComputesThem()
    {
        var errors = dashboard.Open($"/kpi?month={Month}");
        dashboard.Screenshot("kpi");

        errors.ShouldBeEmpty();
        var report = dashboard.Services.GetRequiredService<KpiUseCase>().Run(new KpiRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month } });
        report.Kpis.Count.ShouldBeGreaterThan(1);
        Browser.FindElements(By.CssSelector("table.kpis tbody tr")).Select(r => r.GetAttribute("data-kpi")).ShouldBe(report.Kpis.Select(k => k.Name));
        foreach (var kpi in report.Kpis)
        {
            var row = $"table.kpis tr[data-kpi='{kpi.Name}']";
            Browser.FindElement(By.CssSelector(row)).GetAttribute("data-status").ShouldBe(kpi.Status);
            foreach (var value in kpi.Values)
            {
                Text($"{row} td[data-value='{value.PeriodStart:yyyy-MM-dd}']").ShouldBe(ModelMeter.Server.Pages.KpiModel.Value(value.Value, kpi.Unit));
            }
        }

        // Per week instead: a filter in the URL, more periods.
        Browser.FindElement(By.CssSelector("select[name=grain] option[value=week]")).Click();
        Browser.FindElement(By.CssSelector("form.filters button")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("grain=week", StringComparison.Ordinal));
        var weekly = dashboard.Services.GetRequiredService<KpiUseCase>().Run(new KpiRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month, Grain = "week" } });
        Browser.FindElements(By.CssSelector("table.kpis thead th")).Count.ShouldBe(weekly.Periods.Count + 3);
        weekly.Periods.Count.ShouldBeGreaterThan(report.Periods.Count);
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    [Fact]
    public void TeamAndModelPages_ShowCostPerPrediction_RunsCostAgainstTheirMetric_AndCoveringBudgets()
    {
        // The search team: its ranker's weekly retrains against ndcg_at_10, and its budget with those above it.
        var errors = dashboard.Open($"/teams/search?month={Month}");
        dashboard.Screenshot("team-search");

        errors.ShouldBeEmpty();
        var runs = Runs(metric: "ndcg_at_10", where: "tag:team=search");
        runs.Runs.ShouldNotBeEmpty();
        Browser.FindElements(By.CssSelector("table.runs tbody tr")).Select(r => r.GetAttribute("data-run")).ShouldBe(runs.Runs.Select(r => r.RunId));
        foreach (var run in runs.Runs)
        {
            Text($"table.runs tr[data-run='{run.RunId}'] td[data-cost]").ShouldBe(Cost(run.Cost));
        }

        ChartRendered();
        ScrollTo("runs");
        dashboard.Screenshot("team-search-runs-and-budgets");
        var budgets = dashboard.Services.GetRequiredService<BudgetsUseCase>().Status(new BudgetStatusRequest { Store = dashboard.Store, Covering = ["tag:team=search"] });
        budgets.Budgets.Select(b => b.Name).ShouldBe(["acme-ml", "cc-100", "search"], ignoreOrder: true);
        Browser.FindElements(By.CssSelector("table.budgets tbody tr")).Select(r => r.GetAttribute("data-budget")).ShouldBe(budgets.Budgets.Select(b => b.Name));
        foreach (var budget in budgets.Budgets)
        {
            Text($"table.budgets tr[data-budget='{budget.Name}'] td[data-spent]").ShouldBe(Money(budget.Spent));
        }

        // The ranker model: its cost per prediction as `unit --by tag:model --month 2026-10`, its runs, its team's budgets.
        dashboard.Open($"/models/ranker-v3?month={Month}").ShouldBeEmpty();
        dashboard.Screenshot("model-ranker");
        var unit = dashboard.Services.GetRequiredService<UnitUseCase>().Run(new UnitRequest { Store = dashboard.Store, Query = new CostQueryText { By = "tag:model", Month = Month, Grain = "month" } })
            .Latest.Single(r => r.Scope == "ranker-v3");
        unit.CostPerPrediction.ShouldNotBeNull();
        Text("[data-cost-per-prediction]").ShouldBe(ModelMeter.Server.Pages.UnitModel.Unit(unit.CostPerPrediction, unit.Currency));
        Browser.FindElements(By.CssSelector("table.runs tbody tr")).Select(r => r.GetAttribute("data-run")).ShouldBe(Runs(metric: "ndcg_at_10", where: "tag:model=ranker-v3").Runs.Select(r => r.RunId));
        Browser.FindElements(By.CssSelector("table.budgets tbody tr")).Select(r => r.GetAttribute("data-budget")).ShouldContain("search");
        ChartRendered();
        ScrollTo("runs");
        dashboard.Screenshot("model-ranker-runs-and-budgets");

        // The metric is a filter in the URL: the nlp team's fine-tunes against eval_loss.
        dashboard.Open($"/teams/nlp?month={Month}&metric=eval_loss").ShouldBeEmpty();
        var nlp = Runs(metric: "eval_loss", where: "tag:team=nlp");
        Browser.FindElements(By.CssSelector("table.runs tbody tr")).Select(r => r.GetAttribute("data-run")).ShouldBe(nlp.Runs.Select(r => r.RunId));
        Browser.FindElement(By.CssSelector("select[name=metric]")).GetAttribute("value").ShouldBe("eval_loss");
    }

    private void ScrollTo(string id) => ((IJavaScriptExecutor)Browser).ExecuteScript($"document.getElementById('{id}').scrollIntoView();");

    [Fact]
    public void OnAPhone_ThePagesFitTheScreen()
    {
        var window = Browser.Manage().Window;
        var size = window.Size;
        try
        {
            window.Size = new System.Drawing.Size(390, 844);
            foreach (var page in new[] { "/", "/teams/nlp", "/models/ranker-v3", "/allocation", "/tags", "/budgets", "/runs", "/unit", "/kpi", "/recommendations", "/tco", "/what-if/llm?as=gpt-4.1-mini", "/anomalies?last=60d",
                         "/what-if/instance?resource=i-0a1b2c3d4e5f60002&as=p4d.24xlarge", "/what-if/frequency?experiment=ranker-weekly&x=2" })
            {
                dashboard.Open($"{page}{(page.Contains('?', StringComparison.Ordinal) ? '&' : '?')}month={Month}").ShouldBeEmpty();
                var overflow = (long)((IJavaScriptExecutor)Browser).ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
                overflow.ShouldBeLessThanOrEqualTo(1, $"{page} scrolls sideways on a phone");
                // The whole page at phone width, to look at (a screenshot holds the window only).
                var height = (long)((IJavaScriptExecutor)Browser).ExecuteScript("return document.documentElement.scrollHeight;")!;
                window.Size = new System.Drawing.Size(390, (int)Math.Min(height + 140, 8000));
                dashboard.Screenshot("phone" + page.Split('?')[0].Replace('/', '-'));
                window.Size = new System.Drawing.Size(390, 844);
                Browser.FindElements(By.CssSelector(".chart[data-chart]")).Count.ShouldBe(Browser.FindElements(By.CssSelector(".chart[data-rendered='true']")).Count, $"{page} draws its charts on a phone");
            }
        }
        finally
        {
            window.Size = size;
        }
    }

    [Fact]
    public void TheApiReference_LoadsFromTheServerAlone()
    {
        var errors = dashboard.Open("/api/");
        new WebDriverWait(Browser, TimeSpan.FromSeconds(20)).Until(d => d.PageSource.Contains("/api/v1/report", StringComparison.Ordinal));
        dashboard.Screenshot("api-reference");

        errors.Where(e => !e.Contains("favicon", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();
    }
}
