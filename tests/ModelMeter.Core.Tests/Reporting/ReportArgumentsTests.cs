using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Core.Tests.Reporting;

public class ReportArgumentsTests
{
    private static readonly DateTime Now = new(2026, 11, 15, 13, 45, 0, DateTimeKind.Utc);

    [Fact]
    public void ParseBy_SplitsTagsAndColumns_InOrder()
    {
        var by = ReportArguments.ParseBy("tag:team, ServiceCategory ,tag:model");

        by.ShouldBe([new TagDimension("team"), new ColumnDimension("ServiceCategory"), new TagDimension("model")]);
        by.Select(d => d.Label).ShouldBe(["tag:team", "ServiceCategory", "tag:model"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseBy_Nothing_GroupsByNothing(string? text) => ReportArguments.ParseBy(text).ShouldBeEmpty();

    [Theory]
    [InlineData("tag:")]
    [InlineData("Service Category")]
    [InlineData("ServiceCategory;DROP")]
    [InlineData("Service-Category")]
    public void ParseDimension_RefusesWhatIsNeitherAColumnNorATag(string text) =>
        Should.Throw<UserInputException>(() => ReportArguments.ParseDimension(text)).Message.ShouldContain(text.Trim());

    [Fact]
    public void ParseFilter_Equal_OnTag()
    {
        var filter = ReportArguments.ParseFilter("tag:environment=prod");

        filter.ShouldBe(new Filter(new TagDimension("environment"), FilterOperator.Equal, ["prod"]), new FilterComparer());
    }

    [Fact]
    public void ParseFilter_NotEqual_OnColumn()
    {
        var filter = ReportArguments.ParseFilter("ServiceCategory != Compute");

        filter.Dimension.ShouldBe(new ColumnDimension("ServiceCategory"));
        filter.Operator.ShouldBe(FilterOperator.NotEqual);
        filter.Values.ShouldBe(["Compute"]);
    }

    [Fact]
    public void ParseFilter_In_ReadsAList_AndUnquotesValues()
    {
        var filter = ReportArguments.ParseFilter("tag:team in (nlp, 'vision', \"search\")");

        filter.Dimension.ShouldBe(new TagDimension("team"));
        filter.Operator.ShouldBe(FilterOperator.In);
        filter.Values.ShouldBe(["nlp", "vision", "search"]);
    }

    [Fact]
    public void ParseFilter_NotIn_IsNotMistakenForIn()
    {
        var filter = ReportArguments.ParseFilter("RegionId NOT IN (us-east-1,eu-west-1)");

        filter.Dimension.ShouldBe(new ColumnDimension("RegionId"));
        filter.Operator.ShouldBe(FilterOperator.NotIn);
        filter.Values.ShouldBe(["us-east-1", "eu-west-1"]);
    }

    [Theory]
    [InlineData("ChargeDescription=Pay in advance", FilterOperator.Equal)]
    [InlineData("ChargeDescription != Pay in advance", FilterOperator.NotEqual)]
    [InlineData("ChargeDescription=Opt not in (yet)", FilterOperator.Equal)]
    public void ParseFilter_ValueContainingTheWordIn_StaysAComparison(string text, FilterOperator expected)
    {
        var filter = ReportArguments.ParseFilter(text);

        filter.Dimension.ShouldBe(new ColumnDimension("ChargeDescription"));
        filter.Operator.ShouldBe(expected);
        filter.Values.Single().ShouldBe(text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
    }

    [Theory]
    [InlineData("tag:team in nlp, vision", "parentheses")]
    [InlineData("tag:team in ()", "empty")]
    [InlineData("tag:team", "not a condition")]
    public void ParseFilter_RefusesMalformedConditions_SayingWhy(string text, string expected) =>
        Should.Throw<UserInputException>(() => ReportArguments.ParseFilter(text)).Message.ShouldContain(expected);

    [Theory]
    [InlineData(null, null)]
    [InlineData("day", TimeGrain.Day)]
    [InlineData("Daily", TimeGrain.Day)]
    [InlineData("week", TimeGrain.Week)]
    [InlineData("MONTH", TimeGrain.Month)]
    public void ParseGrain_AcceptsDayWeekMonth(string? text, TimeGrain? expected) => ReportArguments.ParseGrain(text).ShouldBe(expected);

    [Fact]
    public void ParseGrain_RefusesMinute_NamingTheGrains() =>
        Should.Throw<UserInputException>(() => ReportArguments.ParseGrain("minute")).Message.ShouldContain("hour, day, week or month");

    [Theory]
    [InlineData(null, CostMetric.Effective)]
    [InlineData("billed", CostMetric.Billed)]
    [InlineData("List", CostMetric.List)]
    [InlineData("contracted", CostMetric.Contracted)]
    public void ParseCost_DefaultsToEffective(string? text, CostMetric expected) => ReportArguments.ParseCost(text).ShouldBe(expected);

    [Fact]
    public void ParseCost_RefusesUnknownCost() => Should.Throw<UserInputException>(() => ReportArguments.ParseCost("blended"));

    [Fact]
    public void ParsePeriod_Month_IsHalfOpenCalendarMonth()
    {
        var (from, to) = ReportArguments.ParsePeriod(null, null, null, "2026-10", Now);

        from.ShouldBe(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc));
        to.ShouldBe(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));
        from!.Value.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Fact]
    public void ParsePeriod_December_EndsAtNextJanuary()
    {
        var (_, to) = ReportArguments.ParsePeriod(null, null, null, "2026-12", Now);

        to.ShouldBe(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void ParsePeriod_Last_EndsAtTheEndOfTodayOnTheInjectedClock()
    {
        var (from, to) = ReportArguments.ParsePeriod(null, null, "30d", null, Now);

        to.ShouldBe(new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc));
        from.ShouldBe(new DateTime(2026, 10, 17, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void ParsePeriod_LastWeeks_CountsSevenDaysEach()
    {
        var (from, to) = ReportArguments.ParsePeriod(null, null, "2w", null, Now);

        (to - from).ShouldBe(TimeSpan.FromDays(14));
    }

    [Fact]
    public void ParsePeriod_FromTo_AreDatesInUtc_AndEitherMayBeOpen()
    {
        ReportArguments.ParsePeriod("2026-10-05", "2026-10-12", null, null, Now)
            .ShouldBe((new DateTime(2026, 10, 5, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 12, 0, 0, 0, DateTimeKind.Utc)));
        ReportArguments.ParsePeriod("2026-10-05", null, null, null, Now).To.ShouldBeNull();
        ReportArguments.ParsePeriod(null, null, null, null, Now).ShouldBe((null, null));
    }

    [Fact]
    public void ParsePeriod_RefusesTwoStylesAtOnce() =>
        Should.Throw<UserInputException>(() => ReportArguments.ParsePeriod("2026-10-01", null, null, "2026-10", Now)).Message.ShouldContain("not several");

    [Theory]
    [InlineData("2026/10")]
    [InlineData("10-2026")]
    [InlineData("2026-13")]
    public void ParseMonth_RefusesOtherShapes(string text) =>
        Should.Throw<UserInputException>(() => ReportArguments.ParseMonth(text, "--month")).Message.ShouldContain("YYYY-MM");

    [Theory]
    [InlineData("5/1/25")]
    [InlineData("2026-10-32")]
    public void ParsePeriod_RefusesDatesThatAreNotIso(string text) =>
        Should.Throw<UserInputException>(() => ReportArguments.ParsePeriod(text, null, null, null, Now)).Message.ShouldContain("YYYY-MM-DD");

    [Theory]
    [InlineData("30")]
    [InlineData("0d")]
    [InlineData("3m")]
    [InlineData("-5d")]
    public void ParsePeriod_RefusesSpansOtherThanDaysOrWeeks(string text) =>
        Should.Throw<UserInputException>(() => ReportArguments.ParsePeriod(null, null, text, null, Now)).Message.ShouldContain("30d");

    private sealed class FilterComparer : IEqualityComparer<Filter>
    {
        public bool Equals(Filter? x, Filter? y) =>
            x is not null && y is not null && x.Dimension == y.Dimension && x.Operator == y.Operator && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(Filter obj) => obj.Dimension.GetHashCode();
    }
}
