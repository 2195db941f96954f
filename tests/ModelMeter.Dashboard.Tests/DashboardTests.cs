using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Reporting;
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

    [Fact]
    public void OnAPhone_ThePagesFitTheScreen()
    {
        var window = Browser.Manage().Window;
        var size = window.Size;
        try
        {
            window.Size = new System.Drawing.Size(390, 844);
            foreach (var page in new[] { "/", "/teams/nlp", "/allocation", "/tags", "/budgets" })
            {
                dashboard.Open($"{page}?month={Month}").ShouldBeEmpty();
                var overflow = (long)((IJavaScriptExecutor)Browser).ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
                overflow.ShouldBeLessThanOrEqualTo(1, $"{page} scrolls sideways on a phone");
                dashboard.Screenshot("phone" + page.Replace('/', '-'));
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
