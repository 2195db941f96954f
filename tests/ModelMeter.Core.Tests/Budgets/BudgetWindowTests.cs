using ModelMeter.Core.Budgets;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.Budgets;

public sealed class BudgetWindowTests
{
    private static readonly TimeZoneInfo Berlin = BudgetWindow.ParseZone("Europe/Berlin", "test");
    private static readonly TimeZoneInfo NewYork = BudgetWindow.ParseZone("America/New_York", "test");

    [Theory]
    [InlineData(2026, 2, 28)]
    [InlineData(2028, 2, 29)] // leap year
    [InlineData(2100, 2, 28)] // divisible by 100, not by 400: no leap day
    [InlineData(2000, 2, 29)] // divisible by 400: a leap day
    [InlineData(2026, 4, 30)]
    [InlineData(2026, 12, 31)]
    public void Month_HasTheRealDaysOfTheCalendar(int year, int month, int days)
    {
        var window = BudgetWindow.Containing(BudgetPeriodKind.Month, new DateOnly(year, month, 15), TimeZoneInfo.Utc);

        window.Days.ShouldBe(days);
        window.Start.ShouldBe(new DateOnly(year, month, 1));
        window.End.ShouldBe(new DateOnly(year, month, 1).AddMonths(1));
    }

    [Theory]
    [InlineData("2026-02-10", "2026-01-01", "2026-04-01", 90, "2026-Q1")]
    [InlineData("2028-03-31", "2028-01-01", "2028-04-01", 91, "2028-Q1")] // leap year Q1
    [InlineData("2026-04-01", "2026-04-01", "2026-07-01", 91, "2026-Q2")]
    [InlineData("2026-09-30", "2026-07-01", "2026-10-01", 92, "2026-Q3")]
    [InlineData("2026-12-31", "2026-10-01", "2027-01-01", 92, "2026-Q4")]
    public void Quarter_StartsInJanuaryAprilJulyOctober(string day, string start, string end, int days, string label)
    {
        var window = BudgetWindow.Containing(BudgetPeriodKind.Quarter, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc);

        window.Start.ShouldBe(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        window.End.ShouldBe(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        window.Days.ShouldBe(days);
        window.Label.ShouldBe(label);
        window.Next.Start.ShouldBe(window.End);
        window.Previous.End.ShouldBe(window.Start);
    }

    [Fact]
    public void Year_InALeapYear_Has366Days()
    {
        BudgetWindow.Containing(BudgetPeriodKind.Year, new DateOnly(2028, 6, 1), TimeZoneInfo.Utc).Days.ShouldBe(366);
        BudgetWindow.Containing(BudgetPeriodKind.Year, new DateOnly(2026, 6, 1), TimeZoneInfo.Utc).Days.ShouldBe(365);
    }

    [Fact]
    public void BudgetInBerlin_StartsItsMonthAtLocalMidnight_WhichIsTheEveningBeforeInUtc()
    {
        // Berlin is UTC+2 until the last Sunday of October and UTC+1 after: October starts 22:00Z, November 23:00Z.
        var october = BudgetWindow.Containing(BudgetPeriodKind.Month, new DateOnly(2026, 10, 15), Berlin);

        october.StartUtc.ShouldBe(new DateTime(2026, 9, 30, 22, 0, 0, DateTimeKind.Utc));
        october.EndUtc.ShouldBe(new DateTime(2026, 10, 31, 23, 0, 0, DateTimeKind.Utc));
        october.Days.ShouldBe(31);
    }

    [Fact]
    public void ChargeJustBeforeMidnightUtc_BelongsToTheNextMonthInBerlin_AndToThePreviousDayInNewYork()
    {
        var charge = new DateTime(2026, 10, 31, 23, 30, 0, DateTimeKind.Utc);

        BudgetWindow.ContainingInstant(BudgetPeriodKind.Month, charge, TimeZoneInfo.Utc).Label.ShouldBe("2026-10");
        BudgetWindow.ContainingInstant(BudgetPeriodKind.Month, charge, Berlin).Label.ShouldBe("2026-11"); // 00:30 on 1 November
        BudgetWindow.LocalDay(new DateTime(2026, 11, 1, 2, 0, 0, DateTimeKind.Utc), NewYork).ShouldBe(new DateOnly(2026, 10, 31)); // 22:00 EDT
        BudgetWindow.ContainingInstant(BudgetPeriodKind.Quarter, new DateTime(2027, 1, 1, 3, 0, 0, DateTimeKind.Utc), NewYork).Label.ShouldBe("2026-Q4");
    }

    [Fact]
    public void UnknownZone_IsRefused_NamingWhereAndWhatIsValid()
    {
        var error = Should.Throw<UserInputException>(() => BudgetWindow.ParseZone("Mars/Olympus", "modelmeter.yaml: budgets.search.time_zone"));

        error.Message.ShouldContain("budgets.search.time_zone");
        error.Message.ShouldContain("Mars/Olympus");
        error.Message.ShouldContain("Europe/Berlin");
        BudgetWindow.ZoneName(BudgetWindow.ParseZone(null, "x")).ShouldBe("UTC");
    }
}
