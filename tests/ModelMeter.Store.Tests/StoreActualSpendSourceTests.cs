using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application.Budgets;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Monetary;
using ModelMeter.Import.Focus;
using ModelMeter.Store.DuckDb;

namespace ModelMeter.Store.Tests;

public sealed class StoreActualSpendSourceTests : IDisposable
{
    // Today is 2025-07-15 (UTC): July to date is the month, Q3 to date the quarter.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 15, 10, 0, 0, TimeSpan.Zero));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "modelmeter-store-" + Guid.NewGuid().ToString("N"));

    public StoreActualSpendSourceTests() => Directory.CreateDirectory(_directory);

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    /// <summary>Imports the CSV into a fresh DuckDB file the way <c>modelmeter import focus</c> does.</summary>
    private DuckDbCostStore StoreWith(DailyFocusCsv csv)
    {
        var path = csv.Write(Path.Combine(_directory, "focus.csv"));
        var store = DuckDbCostStore.Open(Path.Combine(_directory, "meter.duckdb"), _clock);
        using var session = store.BeginLineItemImport(ImportKind.Focus);
        var report = FocusImporter.Read(FocusImporter.Inspect([path]), session, skipBadRows: false);
        report.ProblemCount.ShouldBe(0);
        var files = report.Files.Select(f => new ImportedFile(f.Path, f.Sha256, f.Bytes, f.Rows - f.Rejected)).ToList();
        session.Commit(files, report.BilledTotals);
        return store;
    }

    private static DailyFocusCsv SearchAndVision() => new DailyFocusCsv()
        .Row("2025-06-30T00:00:00Z", 1000m, "search") // last month (and last quarter)
        .Row("2025-07-01T00:00:00Z", 100.25m, "search")
        .Row("2025-07-03T00:00:00Z", 30m, "search", category: "Storage")
        .Row("2025-07-10T00:00:00Z", 200.50m, "search")
        .Row("2025-07-15T05:00:00Z", 9.25m, "search") // today: counted
        .Row("2025-07-20T00:00:00Z", 50m, "search") // after today: not spent yet
        .Row("2025-07-05T00:00:00Z", 400m, "vision"); // another team

    private Task<ActualSpend> SpendAsync(ICostStore store, BudgetPeriodKind kind, params string[] scope) => SpendAsync(store, TagPolicy.Default, kind, scope);

    private async Task<ActualSpend> SpendAsync(ICostStore store, TagPolicy policy, BudgetPeriodKind kind, params string[] scope)
    {
        var period = BudgetPeriod.Containing(kind, Today);
        return await new StoreActualSpendSource(store, policy).SpendToDateAsync(BudgetScope.Parse(scope), period.Start, Today, CancellationToken.None);
    }

    [Fact]
    public async Task SpendToDate_ReadsTheScopesTagsThroughThePolicy_AliasesAndValueCaseIncluded()
    {
        using var store = StoreWith(new DailyFocusCsv()
            .Row("2025-07-01T00:00:00Z", 100m, "search")
            .Row("2025-07-02T00:00:00Z", 50m, "Search", tagKey: "user:Team")
            .Row("2025-07-03T00:00:00Z", 25m, "SEARCH", tagKey: "squad"));
        var squad = new TagPolicy(keys: [new TagKeyPolicy("team") { Aliases = ["squad"] }]);

        (await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=Search")).ByCurrency.ShouldBe([new Money(150m, "USD")]);
        (await SpendAsync(store, squad, BudgetPeriodKind.Month, "tag:team=search")).ByCurrency.ShouldBe([new Money(175m, "USD")]);
        (await SpendAsync(store, squad, BudgetPeriodKind.Month, "tag:squad=search")).ByCurrency.ShouldBe([new Money(175m, "USD")], "squad is team under this policy");
    }

    [Fact]
    public async Task SpendToDate_ThisMonth_SumsTheScopesEffectiveCost_FromTheFirstToToday()
    {
        using var store = StoreWith(SearchAndVision());

        // 100.25 + 30 + 200.50 + 9.25: not June's 1,000, not the 20th's 50, not vision's 400, and EffectiveCost not BilledCost.
        var spend = await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=search");

        spend.ByCurrency.ShouldBe([new Money(340.00m, "USD")]);
        spend.ActualsThrough.ShouldBe(new DateTime(2025, 7, 21, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public async Task SpendToDate_ScopeConditions_AreAllApplied()
    {
        using var store = StoreWith(SearchAndVision());

        // 340 − 30 of storage
        var spend = await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=search", "ServiceCategory!=Storage");

        spend.ByCurrency.ShouldBe([new Money(310.00m, "USD")]);
    }

    [Theory]
    [InlineData(BudgetPeriodKind.Quarter, 340.00)] // Q3 starts on 1 July: June is not in it
    [InlineData(BudgetPeriodKind.Year, 1340.00)] // 2025 to date includes June's 1,000
    public async Task SpendToDate_QuarterAndYear_StartAtTheirFirstDay(BudgetPeriodKind kind, double expected)
    {
        using var store = StoreWith(SearchAndVision());

        var spend = await SpendAsync(store, kind, "tag:team=search");

        spend.ByCurrency.ShouldBe([new Money((decimal)expected, "USD")]);
    }

    [Fact]
    public async Task SpendToDate_TheClockDecidesWhatIsToDate()
    {
        using var store = StoreWith(SearchAndVision());

        // On the 31st the charge of the 20th has happened: 340 + 50; in August, July's spend is no longer this month's.
        _clock.Advance(TimeSpan.FromDays(16));
        (await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=search")).ByCurrency.ShouldBe([new Money(390.00m, "USD")]);
        _clock.Advance(TimeSpan.FromDays(1));
        (await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=search")).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task SpendToDate_InTwoCurrencies_KeepsThemApart_AndTheCheckRefusesIt()
    {
        using var store = StoreWith(new DailyFocusCsv()
            .Row("2025-07-02T00:00:00Z", 100m, "search")
            .Row("2025-07-02T00:00:00Z", 80m, "search", currency: "EUR", account: "acct-eu"));

        var spend = await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=search");

        spend.ByCurrency.ShouldBe([new Money(80m, "EUR"), new Money(100m, "USD")]);
        var period = BudgetPeriod.Containing(BudgetPeriodKind.Month, Today);
        Should.Throw<UserInputException>(() => spend.In("USD", BudgetScope.Parse(["tag:team=search"]), period))
            .Message.ShouldContain("several billing currencies");
    }

    [Fact]
    public async Task SpendToDate_NothingMatches_IsEmpty()
    {
        using var store = StoreWith(SearchAndVision());

        var spend = await SpendAsync(store, BudgetPeriodKind.Month, "tag:team=ranking");

        spend.IsEmpty.ShouldBeTrue();
        spend.In("USD", BudgetScope.Parse(["tag:team=ranking"]), BudgetPeriod.Containing(BudgetPeriodKind.Month, Today)).ShouldBe(Money.Zero("USD"));
    }

    [Fact]
    public async Task SpendToDate_UnknownColumn_IsABadInputError()
    {
        using var store = StoreWith(SearchAndVision());

        var error = await Should.ThrowAsync<UserInputException>(() => SpendAsync(store, BudgetPeriodKind.Month, "Team=search"));

        error.Message.ShouldContain("not a FOCUS column");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
