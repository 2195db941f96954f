using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Access;
using ModelMeter.Application.Anomalies;
using ModelMeter.Application.Forecasting;
using ModelMeter.Application.Kpis;
using ModelMeter.Application.Recommendations;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Unit;
using ModelMeter.Application.WhatIf;
using ModelMeter.Core.Monetary;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace ModelMeter.Dashboard.Tests;

/// <summary>
/// The pages of the later capabilities (recommendations, full cost, what-if, KPI charts, a team's cost per prediction,
/// the overview's forecast) in the real Chromium: no console errors, the use cases' figures, a chart drawn, a filter
/// that changes the URL and the figures, and a team key that sees only its team.
/// </summary>
[Collection(DashboardGroup.Name)]
public sealed class CapabilityPagesTests(DashboardFixture dashboard)
{
    private const string Month = DashboardFixture.Month;

    private IWebDriver Browser => dashboard.Browser;

    private static readonly AccessScope Search = AccessScope.ForTeam("search");

    private static string Money(decimal amount) => MoneyText.Amount(amount, "USD") + " USD";

    private T Get<T>()
        where T : notnull => dashboard.Services.GetRequiredService<T>();

    private string Text(string css) => Browser.FindElement(By.CssSelector(css)).Text;

    private IReadOnlyList<string> Attributes(string css, string attribute) =>
        Browser.FindElements(By.CssSelector(css)).Select(e => e.GetAttribute(attribute) ?? "").ToList();

    private void ChartsRendered(int count = 1)
    {
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.FindElements(By.CssSelector(".chart[data-rendered='true'] canvas")).Count >= count)
            .ShouldBeTrue("uPlot drew the charts");
        Browser.FindElements(By.CssSelector(".chart[data-chart]")).Count.ShouldBe(Browser.FindElements(By.CssSelector(".chart[data-rendered='true']")).Count, "every chart is drawn");
        Browser.FindElement(By.CssSelector(".chart canvas")).Size.Width.ShouldBeGreaterThan(200);
    }

    private void Submit(string waitFor)
    {
        Browser.FindElement(By.CssSelector("form.filters button")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(20)).Until(d => d.Url.Contains(waitFor, StringComparison.Ordinal));
    }

    private void Fill(string name, string value)
    {
        var input = Browser.FindElement(By.CssSelector($"form.filters input[name='{name}']"));
        input.Clear();
        input.SendKeys(value);
    }

    private RecommendationsReport Recommend(decimal? minSaving = null, AccessScope? access = null, string? explain = null, params string[] where) =>
        Get<RecommendUseCase>().Run(new RecommendRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, MinSaving = minSaving, Where = where, Explain = explain });

    private void ShowsTheFindings(RecommendationsReport report)
    {
        Attributes("table.findings tbody tr[data-finding]", "data-finding").ShouldBe(report.Findings.Select(f => f.Id));
        foreach (var finding in report.Findings)
        {
            Text($"tr[data-finding='{finding.Id}'] td[data-saving]").ShouldBe(Money(finding.MonthlySaving));
            Text($"tr[data-finding='{finding.Id}'] td[data-cost]").ShouldBe(Money(finding.MonthlyCost));
        }

        foreach (var total in report.Totals)
        {
            Text($"[data-saving-total='{total.Currency}']").ShouldBe(Money(total.MonthlySaving));
        }

        foreach (var rule in report.Findings.GroupBy(f => f.Rule))
        {
            Text($"table.by-rule tr[data-rule='{rule.Key}'] td[data-saving]").ShouldBe(Money(rule.Sum(f => f.MonthlySaving)));
        }
    }

    [Fact]
    public void Recommendations_AreRankedBySaving_WithTheirTotal_AChartByRule_FiltersInTheUrl_AndAnExplainView()
    {
        var errors = dashboard.Open("/recommendations");
        dashboard.Screenshot("recommendations");

        errors.ShouldBeEmpty();
        var all = Recommend();
        all.Findings.Count.ShouldBeGreaterThan(3, "the demo plants findings of several rules");
        all.Findings.Select(f => f.MonthlySaving).ShouldBeInOrder(SortDirection.Descending);
        ShowsTheFindings(all);
        Browser.FindElement(By.CssSelector("nav a[href='/recommendations']")).GetAttribute("aria-current").ShouldBe("page");
        ChartsRendered();

        // The threshold is a filter in the URL: fewer findings, a smaller total.
        Fill("min-saving", "1000");
        Submit("min-saving=1000");
        dashboard.Screenshot("recommendations-min-1000");
        var large = Recommend(minSaving: 1000m);
        large.Findings.Count.ShouldBeLessThan(all.Findings.Count);
        ShowsTheFindings(large);
        Browser.Url.ShouldContain("from=" + all.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // Conditions on the resources, as `recommend --where tag:team=vision`.
        dashboard.Open("/recommendations?where=tag%3Ateam%3Dvision").ShouldBeEmpty();
        var vision = Recommend(where: "tag:team=vision");
        vision.Findings.ShouldNotBeEmpty();
        vision.Findings.ShouldAllBe(f => f.Team == "vision");
        ShowsTheFindings(vision);

        // One finding explained: its evidence, how the saving was worked out and what to do, as `recommend --explain ID`.
        dashboard.Open("/recommendations").ShouldBeEmpty();
        var top = all.Findings[0];
        Browser.FindElement(By.CssSelector($"tr[data-finding='{top.Id}'] th a")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(20)).Until(d => d.Url.Contains("/recommendations/" + top.Id, StringComparison.Ordinal));
        dashboard.Screenshot("recommendation-explain");
        var explained = Recommend(explain: top.Id).Findings.ShouldHaveSingleItem();
        Text("[data-finding-saving]").ShouldBe(Money(explained.MonthlySaving));
        Text("[data-how]").ShouldBe(explained.How);
        Text("[data-action]").ShouldBe(explained.Action);
        Attributes("table.evidence tbody tr", "data-metric").ShouldBe(explained.Evidence.Select(e => e.Metric));
        foreach (var evidence in explained.Evidence)
        {
            Text($"table.evidence tr[data-metric='{evidence.Metric}'] td[data-value]").ShouldBe(evidence.Value);
        }

        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    private TcoReport Tco(string by = "tag:product", AccessScope? access = null) =>
        Get<TcoUseCase>().Run(new TcoRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, Query = new CostQueryText { By = by, Month = Month } });

    private void ShowsTheFullCost(TcoReport report)
    {
        Attributes("table.tco[data-currency='USD'] tbody tr", "data-group").ShouldBe(report.Rows.Where(r => r.Currency == "USD").Select(r => string.Join(" / ", r.Values)));
        foreach (var row in report.Rows.Where(r => r.Currency == "USD"))
        {
            var tr = $"table.tco tbody tr[data-group='{string.Join(" / ", row.Values)}']";
            Text($"{tr} td[data-total]").ShouldBe(Money(row.Total));
            foreach (var column in report.Columns.Where(c => row.Amounts[c] != 0m))
            {
                Text($"{tr} td[data-column='{column}']").ShouldStartWith(MoneyText.Amount(row.Amounts[column], "USD"));
                Text($"{tr} td[data-column='{column}']").ShouldEndWith((row.Shares[column] * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%");
            }
        }

        Text("[data-tco-total='USD']").ShouldBe(Money(report.Totals["USD"]["total"]));
        foreach (var column in report.Columns)
        {
            Text($"table.tco tfoot td[data-column='{column}']").ShouldBe(MoneyText.Amount(report.Totals["USD"][column], "USD"));
        }
    }

    [Fact]
    public void FullCost_ShowsEachProductsColumnsSharesAndTotal_AsTcoComputesThem_StackedInAChart_AndTheGroupingIsAFilter()
    {
        var errors = dashboard.Open($"/tco?month={Month}");
        dashboard.Screenshot("tco");

        errors.ShouldBeEmpty();
        var products = Tco();
        products.Rows.Count.ShouldBeGreaterThan(3);
        ShowsTheFullCost(products);
        products.Totals["USD"]["total"].ShouldBe(Get<ReportUseCase>().Run(new ReportRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month } }).Totals["USD"]);
        ChartsRendered();

        Browser.FindElement(By.CssSelector("select[name=by] option[value='tag:team']")).Click();
        Submit("by=tag%3Ateam");
        dashboard.Screenshot("tco-by-team");
        var teams = Tco("tag:team");
        ShowsTheFullCost(teams);
        teams.Rows.Select(r => r.Values[0]).ShouldNotBe(products.Rows.Select(r => r.Values[0]));
        ChartsRendered();
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    private WhatIfLlmReport WhatIf(string model, AccessScope? access = null) =>
        Get<WhatIfLlmUseCase>().Run(new WhatIfLlmRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, As = model });

    private void ShowsTheRepricing(WhatIfLlmReport report)
    {
        Text("[data-target]").ShouldBe(report.Model);
        Text("[data-actual='USD']").ShouldBe(Money(report.Totals["USD"]["actual"]));
        Text("[data-what-if='USD']").ShouldBe(Money(report.Totals["USD"]["what_if"]));
        Text("[data-monthly-difference='USD']").ShouldBe(Money(report.Totals["USD"]["monthly_difference"]));
        Attributes("table.what-if tbody tr", "data-group").ShouldBe(report.Groups.Select(g => g.Feature + "/" + g.Team));
        foreach (var group in report.Groups)
        {
            var tr = $"table.what-if tr[data-group='{group.Feature}/{group.Team}']";
            Text($"{tr} td[data-actual]").ShouldBe(Money(group.ActualCost));
            Text($"{tr} td[data-what-if]").ShouldBe(Money(group.WhatIfCost));
            Text($"{tr} td[data-difference]").ShouldBe(Money(group.Difference));
        }

        Browser.FindElements(By.CssSelector("ol.working li")).Select(e => e.Text).ShouldBe(report.Working);
    }

    [Fact]
    public void WhatIfLlm_PicksTheTargetFromTheCatalogue_InTheUrl_AndShowsTheRepricingByFeatureAndTeam_WithTheWorking()
    {
        var errors = dashboard.Open("/");
        Browser.FindElement(By.CssSelector("nav a[href='/what-if/llm']")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.EndsWith("/what-if/llm", StringComparison.Ordinal));
        errors = [.. errors, .. dashboard.ConsoleErrors()];

        errors.ShouldBeEmpty();
        var catalogue = Get<Application.Estimates.CatalogUseCase>().Run(new Application.Estimates.CatalogRequest("llm", null, dashboard.Store.Config)).Entries;
        Attributes("select[name=as] option", "value").Skip(1).ShouldBe(catalogue.Select(e => e.Key));
        Browser.FindElements(By.CssSelector("table.what-if")).ShouldBeEmpty("nothing is repriced before a model is picked");

        Browser.FindElement(By.CssSelector("select[name=as] option[value='gpt-4.1-mini']")).Click();
        Submit("as=gpt-4.1-mini");
        dashboard.Screenshot("what-if-llm");
        var mini = WhatIf("gpt-4.1-mini");
        mini.Groups.Count.ShouldBeGreaterThan(1, "the demo's assistant and nightly labels");
        mini.Totals["USD"]["difference"].ShouldBeLessThan(0m);
        ShowsTheRepricing(mini);
        ChartsRendered();

        Browser.FindElement(By.CssSelector("select[name=as] option[value='gpt-4o']")).Click();
        Submit("as=gpt-4o");
        var opus = WhatIf("gpt-4o");
        opus.Totals["USD"]["what_if"].ShouldNotBe(mini.Totals["USD"]["what_if"]);
        ShowsTheRepricing(opus);
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    private AnomaliesWithSeries Anomalies(string? last = null, AccessScope? access = null, string? by = null) =>
        Get<AnomaliesUseCase>().RunWithSeries(new AnomaliesRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, Last = last, By = by });

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void ShowsTheAnomalies(AnomaliesWithSeries found)
    {
        var report = found.Report;
        Text("[data-anomaly-count]").ShouldBe(report.Anomalies.Count.ToString(CultureInfo.InvariantCulture));
        var rows = report.Anomalies.Select(a => Day(a.Date) + " " + ModelMeter.Server.Pages.AnomaliesModel.Key(a.Dimensions, a.Currency)).ToList();
        Attributes("table.anomalies tbody tr[data-anomaly]", "data-anomaly").ShouldBe(rows);
        foreach (var (anomaly, row) in report.Anomalies.Zip(rows))
        {
            var tr = $"table.anomalies tr[data-anomaly='{row}']";
            Text($"{tr} td[data-actual]").ShouldBe(Money(anomaly.Actual));
            Text($"{tr} td[data-expected]").ShouldBe(Money(anomaly.Expected));
            Text($"{tr} td[data-impact]").ShouldBe("+" + Money(anomaly.Impact));
            Text($"{tr} td[data-scope]").ShouldBe(string.Join(", ", anomaly.Dimensions.Select(d => $"{d.Key}={d.Value}")));
            var drivers = Browser.FindElements(By.CssSelector($"{tr} li[data-driver]")).Select(e => e.Text).ToList();
            drivers.Count.ShouldBe(anomaly.Drivers.Count);
            foreach (var (driver, text) in anomaly.Drivers.Zip(drivers))
            {
                foreach (var dimension in driver.Dimensions.Where(d => d.Value.Length > 0))
                {
                    text.ShouldContain($"{dimension.Key}={dimension.Value}");
                }

                text.ShouldEndWith("(" + (driver.Share * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%)");
            }
        }

        // A chart per scope with an anomaly, its daily figures beside it with the anomalous days marked.
        var keys = found.Series.Select(s => ModelMeter.Server.Pages.AnomaliesModel.Key(s.Dimensions, s.Currency)).ToList();
        Attributes("figure.chart[data-scope]", "data-scope").ShouldBe(keys);
        foreach (var (series, key) in found.Series.Zip(keys))
        {
            var table = $"table.series[data-scope='{key}']";
            Attributes($"{table} tbody tr", "data-day").ShouldBe(series.Days.Select(d => Day(d.Date)));
            foreach (var day in series.Days)
            {
                Text($"{table} tr[data-day='{Day(day.Date)}'] td[data-cost]").ShouldBe(Money(day.Actual));
            }

            var marked = report.Anomalies.Where(a => ModelMeter.Server.Pages.AnomaliesModel.Key(a.Dimensions, a.Currency) == key).ToList();
            Attributes($"{table} tbody tr.anomalous", "data-day").ShouldBe(series.Days.Select(d => Day(d.Date)).Where(d => marked.Any(a => Day(a.Date) == d)));
            foreach (var anomaly in marked)
            {
                Text($"{table} tr[data-day='{Day(anomaly.Date)}'] td[data-cost]").ShouldBe(Money(anomaly.Actual), "the charted day is the anomaly's actual");
                Text($"{table} tr[data-day='{Day(anomaly.Date)}'] td[data-expected]").ShouldBe(Money(anomaly.Expected));
            }

            // The chart's marks are the anomalous days: the anomaly series holds their cost and nothing else.
            var chart = System.Text.Json.JsonDocument.Parse(Browser.FindElement(By.CssSelector($"figure.chart[data-scope='{key}']")).GetAttribute("data-chart")!).RootElement;
            var marks = chart.GetProperty("series").EnumerateArray().Single(x => x.GetProperty("marks").GetBoolean()).GetProperty("values").EnumerateArray()
                .Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Null ? (decimal?)null : v.GetDecimal()).ToList();
            marks.Count(v => v is not null).ShouldBe(marked.Count);
        }
    }

    [Fact]
    public void Anomalies_ShowEachDayAgainstExpected_WithItsDrivers_AChartPerScopeWithTheDaysMarked_AndTheOptionsInTheUrl()
    {
        var errors = dashboard.Open("/");
        Browser.FindElement(By.CssSelector("a[data-anomalies-link]")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(20)).Until(d => d.Url.EndsWith("/anomalies", StringComparison.Ordinal));
        errors = [.. errors, .. dashboard.ConsoleErrors()];
        dashboard.Screenshot("anomalies");

        errors.ShouldBeEmpty();
        Browser.FindElement(By.CssSelector("nav a[href='/anomalies']")).GetAttribute("aria-current").ShouldBe("page");
        var recent = Anomalies();
        recent.Report.Anomalies.ShouldNotBeEmpty("the demo plants anomalies in the last 30 days");
        recent.Report.Dimensions.ShouldBe(["tag:team"], "the demo config's anomalies.by");
        ShowsTheAnomalies(recent);
        ChartsRendered(recent.Series.Count);

        // A longer window, as `anomalies --last 60d`: more anomalous days, in the URL.
        Fill("last", "60d");
        Submit("last=60d");
        dashboard.Screenshot("anomalies-last-60d");
        var longer = Anomalies("60d");
        longer.Report.Anomalies.Count.ShouldBeGreaterThan(recent.Report.Anomalies.Count);
        ShowsTheAnomalies(longer);
        ChartsRendered(longer.Series.Count);

        // Another grouping and the detector's options: the whole bill by service, as `--by ServiceName --min-impact 300`.
        dashboard.Open("/anomalies?by=ServiceName&last=60d&min-impact=300").ShouldBeEmpty();
        var services = Get<AnomaliesUseCase>().RunWithSeries(new AnomaliesRequest { Store = dashboard.Store, By = "ServiceName", Last = "60d", MinImpact = 300m });
        services.Report.Anomalies.ShouldNotBeEmpty();
        services.Report.Anomalies.ShouldAllBe(a => a.Impact >= 300m);
        ShowsTheAnomalies(services);
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    private WhatIfInstanceReport WhatIfInstance(string resource, string instance, AccessScope? access = null) =>
        Get<WhatIfInstanceUseCase>().Run(new WhatIfInstanceRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, Resource = resource, As = instance });

    private void ShowsTheInstanceRepricing(WhatIfInstanceReport report)
    {
        Text("[data-target]").ShouldBe(report.Instance);
        Text("[data-actual]").ShouldBe(Money(report.Actual));
        Text("[data-what-if]").ShouldBe(Money(report.WhatIf));
        Text("[data-monthly-difference]").ShouldBe(Money(report.MonthlyDifference));
        Text("table.what-if-instance tr[data-row='actual'] td[data-cost]").ShouldBe(Money(report.Actual));
        Text("table.what-if-instance tr[data-row='what-if'] td[data-cost]").ShouldBe(Money(report.WhatIf));
        Text("table.what-if-instance td[data-difference]").ShouldBe(Money(report.Difference));
        Browser.FindElements(By.CssSelector("ol.working li")).Select(e => e.Text).ShouldBe(report.Working);
    }

    [Fact]
    public void WhatIfInstance_PicksTheResourceFromTheBillAndTheInstanceFromTheCatalogue_InTheUrl_WithTheWorking()
    {
        var errors = dashboard.Open("/what-if/llm");
        Browser.FindElement(By.CssSelector("nav.tabs a[href='/what-if/instance']")).Click();
        new WebDriverWait(Browser, TimeSpan.FromSeconds(10)).Until(d => d.Url.EndsWith("/what-if/instance", StringComparison.Ordinal));
        errors = [.. errors, .. dashboard.ConsoleErrors()];

        errors.ShouldBeEmpty();
        var catalogue = Get<Application.Estimates.CatalogUseCase>().Run(new Application.Estimates.CatalogRequest("instance", null, dashboard.Store.Config)).Entries;
        Attributes("select[name=as] option", "value").Skip(1).ShouldBe(catalogue.Select(e => e.Key));
        var hourly = Get<ReportUseCase>().Run(new ReportRequest { Store = dashboard.Store, Query = new CostQueryText { By = "ResourceId", Where = ["PricingUnit=Hours"], Month = Month } })
            .Rows.Select(r => r.Values[0]).ToList();
        var offered = Attributes("select[name=resource] option", "value").Skip(1).ToList();
        offered.ShouldBeSubsetOf(hourly);
        offered.ShouldContain("i-0a1b2c3d4e5f60002");
        Browser.FindElements(By.CssSelector("table.what-if-instance")).ShouldBeEmpty("nothing is repriced before both are picked");

        Browser.FindElement(By.CssSelector("select[name=resource] option[value='i-0a1b2c3d4e5f60002']")).Click();
        Browser.FindElement(By.CssSelector("select[name=as] option[value='p4d.24xlarge']")).Click();
        Submit("as=p4d.24xlarge");
        dashboard.Screenshot("what-if-instance");
        Browser.Url.ShouldContain("resource=i-0a1b2c3d4e5f60002");
        var p4d = WhatIfInstance("i-0a1b2c3d4e5f60002", "p4d.24xlarge");
        p4d.Difference.ShouldBeLessThan(0m, "the README's example: the fine-tune's hours cost less on a p4d");
        ShowsTheInstanceRepricing(p4d);
        ChartsRendered();

        Browser.FindElement(By.CssSelector("select[name=as] option[value='g5.xlarge']")).Click();
        Submit("as=g5.xlarge");
        var g5 = WhatIfInstance("i-0a1b2c3d4e5f60002", "g5.xlarge");
        g5.WhatIf.ShouldNotBe(p4d.WhatIf);
        ShowsTheInstanceRepricing(g5);
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    private WhatIfFrequencyReport WhatIfFrequency(string experiment, string x, AccessScope? access = null) =>
        Get<WhatIfFrequencyUseCase>().Run(new WhatIfFrequencyRequest { Store = dashboard.Store, Access = access ?? AccessScope.Everything, Experiment = experiment, X = x });

    private void ShowsTheScaledCost(WhatIfFrequencyReport report)
    {
        Text("[data-experiment]").ShouldBe(report.Experiment);
        Text("[data-actual]").ShouldBe(Money(report.Actual));
        Text("[data-what-if]").ShouldBe(Money(report.WhatIf));
        Text("[data-monthly-difference]").ShouldBe(Money(report.MonthlyDifference));
        Text("table.what-if-frequency tr[data-row='actual'] td[data-retrainings]").ShouldBe(report.RunTrees.ToString(CultureInfo.InvariantCulture));
        Text("table.what-if-frequency tr[data-row='actual'] td[data-per-retraining]").ShouldBe(Money(report.PerRetraining));
        Text("table.what-if-frequency tr[data-row='what-if'] td[data-cost]").ShouldBe(Money(report.WhatIf));
        Text("table.what-if-frequency td[data-difference]").ShouldBe(Money(report.Difference));
        Browser.FindElements(By.CssSelector("ol.working li")).Select(e => e.Text).ShouldBe(report.Working);
    }

    [Fact]
    public void WhatIfFrequency_PicksTheExperimentFromTheRuns_AndTheFactor_InTheUrl_WithTheWorking()
    {
        var errors = dashboard.Open("/what-if/frequency");

        errors.ShouldBeEmpty();
        var experiments = Get<RunsUseCase>().Run(new RunsRequest { Store = dashboard.Store, By = "experiment", Month = Month }).Groups.Select(g => g.Group).Order(StringComparer.Ordinal).ToList();
        experiments.ShouldContain("ranker-weekly");
        Attributes("select[name=experiment] option", "value").Skip(1).ShouldBe(experiments);

        Browser.FindElement(By.CssSelector("select[name=experiment] option[value='ranker-weekly']")).Click();
        Browser.FindElement(By.CssSelector("select[name=x] option[value='2']")).Click();
        Submit("x=2");
        dashboard.Screenshot("what-if-frequency");
        Browser.Url.ShouldContain("experiment=ranker-weekly");
        var twice = WhatIfFrequency("ranker-weekly", "2");
        twice.WhatIf.ShouldBe(twice.Actual * 2m);
        ShowsTheScaledCost(twice);
        ChartsRendered();

        Browser.FindElement(By.CssSelector("select[name=x] option[value='0.5']")).Click();
        Submit("x=0.5");
        var half = WhatIfFrequency("ranker-weekly", "0.5");
        half.Difference.ShouldBeLessThan(0m);
        ShowsTheScaledCost(half);
        dashboard.ConsoleErrors().ShouldBeEmpty();
    }

    [Fact]
    public void Kpis_DrawOneChartPerKpi_BesideTheTable()
    {
        var errors = dashboard.Open($"/kpi?month={Month}&grain=week");
        dashboard.Screenshot("kpi-charts");

        errors.ShouldBeEmpty();
        var report = Get<KpiUseCase>().Run(new KpiRequest { Store = dashboard.Store, Query = new CostQueryText { Month = Month, Grain = "week" } });
        Attributes("figure.kpi-chart", "data-kpi").ShouldBe(report.Kpis.Select(k => k.Name));
        ChartsRendered(report.Kpis.Count);
    }

    [Fact]
    public void TeamPage_ShowsTheTeamsCostPerPrediction_FromItsModelsTraffic_AsUnitByTeamComputesIt()
    {
        var errors = dashboard.Open($"/teams/search?month={Month}");

        errors.ShouldBeEmpty();
        var unit = Get<UnitUseCase>().Run(new UnitRequest { Store = dashboard.Store, Query = new CostQueryText { By = "tag:team", Month = Month, Grain = "month" } })
            .Latest.Single(r => r.Scope == "search");
        unit.CostPerPrediction.ShouldNotBeNull("the search team's models serve predictions");
        Text("[data-cost-per-prediction]").ShouldBe(ModelMeter.Server.Pages.UnitModel.Unit(unit.CostPerPrediction, unit.Currency));
    }

    [Fact]
    public void Overview_ShowsTheMonthToDate_ItsForecast_AndTheLast30Days()
    {
        var errors = dashboard.Open("/");
        dashboard.Screenshot("overview-month-to-date");

        errors.ShouldBeEmpty();
        var thisMonth = dashboard.Clock.GetUtcNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Text("[data-total='USD']").ShouldBe(Money(Get<ReportUseCase>().Run(new ReportRequest { Store = dashboard.Store, Query = new CostQueryText { Month = thisMonth } }).Totals["USD"]));
        var forecast = Get<ForecastUseCase>().Run(new ForecastRequest { Store = dashboard.Store, Period = "month" }).Scopes.Single(s => s.Currency == "USD");
        Text("[data-forecast='USD']").ShouldBe(Money(forecast.Forecast));
        forecast.Forecast.ShouldBeGreaterThan(forecast.Spent);
        var days = Get<ReportUseCase>().Run(new ReportRequest { Store = dashboard.Store, Query = new CostQueryText { Last = "30d", Grain = "day" } });
        Browser.FindElements(By.CssSelector("table.daily tbody tr")).Count.ShouldBe(days.Rows.Count);
        foreach (var top in new[] { "tag:team", "tag:model", "ServiceName" })
        {
            Browser.FindElements(By.CssSelector($"table.breakdown[data-dimension='{top}'] tbody tr")).ShouldNotBeEmpty();
        }

        foreach (var page in new[] { "/recommendations", "/tco", "/what-if/llm", "/anomalies" })
        {
            Browser.FindElements(By.CssSelector($"nav a[href='{page}']")).ShouldHaveSingleItem();
        }

        ChartsRendered();
    }

    [Fact]
    public void ATeamKey_SeesOnlyItsTeam_OnTheRecommendationsFullCostAndWhatIfPages()
    {
        dashboard.AsTeam(dashboard.SearchKey, () =>
        {
            var errors = dashboard.Open("/recommendations");
            dashboard.Screenshot("recommendations-team-search");
            errors.ShouldBeEmpty();
            Text("header .scope").ShouldContain("search");
            var search = Recommend(access: Search);
            search.Findings.ShouldNotBeEmpty();
            search.Findings.ShouldAllBe(f => f.Team == "search");
            search.Findings.Count.ShouldBeLessThan(Recommend().Findings.Count);
            ShowsTheFindings(search);

            // Asking for another team's findings shows none of them.
            dashboard.Open("/recommendations?where=tag%3Ateam%3Dvision&min-saving=0").ShouldBeEmpty();
            Browser.FindElements(By.CssSelector("table.findings tbody tr[data-finding]")).ShouldBeEmpty();

            dashboard.Open($"/tco?month={Month}").ShouldBeEmpty();
            var tco = Tco(access: Search);
            tco.Totals["USD"]["total"].ShouldBeLessThan(Tco().Totals["USD"]["total"]);
            ShowsTheFullCost(tco);

            // The demo's LLM calls are nlp's: the search team's key reprices none of them.
            dashboard.Open("/what-if/llm?as=gpt-4.1-mini").ShouldBeEmpty();
            WhatIf("gpt-4.1-mini", Search).Groups.ShouldBeEmpty();
            WhatIf("gpt-4.1-mini").Groups.ShouldNotBeEmpty();
            Browser.FindElements(By.CssSelector("table.what-if tbody tr")).ShouldBeEmpty();
        });
    }

    [Fact]
    public void ATeamKey_SeesOnlyItsTeam_OnTheAnomaliesAndTheInstanceAndFrequencyWhatIfs()
    {
        dashboard.AsTeam(dashboard.SearchKey, () =>
        {
            var errors = dashboard.Open("/anomalies?last=60d");
            dashboard.Screenshot("anomalies-team-search");
            errors.ShouldBeEmpty();
            var search = Anomalies("60d", Search);
            search.Report.Anomalies.ShouldNotBeEmpty("the demo's forgotten ranker scale-up is search's");
            search.Report.Anomalies.ShouldAllBe(a => a.Dimensions["tag:team"] == "search");
            Anomalies("60d").Report.Anomalies.ShouldContain(a => a.Dimensions["tag:team"] != "search");
            ShowsTheAnomalies(search);

            // Asking for another team's anomalies shows none.
            dashboard.Open("/anomalies?last=60d&where=tag%3Ateam%3Dnlp").ShouldBeEmpty();
            Browser.FindElements(By.CssSelector("table.anomalies tbody tr[data-anomaly]")).ShouldBeEmpty();

            // The resources offered are search's own; nlp's fine-tune instance cannot be repriced with this key.
            dashboard.Open("/what-if/instance").ShouldBeEmpty();
            var offered = Attributes("select[name=resource] option", "value").Skip(1).ToList();
            offered.ShouldNotBeEmpty();
            offered.ShouldNotContain("i-0a1b2c3d4e5f60002");
            var ownHourly = Get<ReportUseCase>().Run(new ReportRequest { Store = dashboard.Store, Access = Search, Query = new CostQueryText { By = "ResourceId", Where = ["PricingUnit=Hours"], Month = Month } });
            offered.ShouldBeSubsetOf(ownHourly.Rows.Select(r => r.Values[0]));
            dashboard.Open("/what-if/instance?resource=i-0a1b2c3d4e5f60002&as=p4d.24xlarge").ShouldBeEmpty();
            Text("p.error").ShouldContain("team search");
            Browser.FindElements(By.CssSelector("table.what-if-instance")).ShouldBeEmpty();

            // The experiments offered are the team's runs only.
            dashboard.Open("/what-if/frequency").ShouldBeEmpty();
            var experiments = Get<RunsUseCase>().Run(new RunsRequest { Store = dashboard.Store, Access = Search, By = "experiment", Month = Month }).Groups.Select(g => g.Group).Order(StringComparer.Ordinal).ToList();
            Attributes("select[name=experiment] option", "value").Skip(1).ShouldBe(experiments);
            experiments.Count.ShouldBeLessThan(Get<RunsUseCase>().Run(new RunsRequest { Store = dashboard.Store, By = "experiment", Month = Month }).Groups.Count);
        });
    }
}
