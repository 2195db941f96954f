using ModelMeter.Application.Reporting;
using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Reporting;

namespace ModelMeter.Store.Tests.Contract;

/// <summary>The cost explorer's question, <see cref="ICostStore.QueryCosts"/>, in every shape it is asked.</summary>
public abstract partial class CostStoreContract<TFixture>
{
    private static readonly Dimension Team = new TagDimension("team");
    private static readonly Dimension Owner = new TagDimension("owner");
    private static readonly Dimension EnvironmentTag = new TagDimension("environment");
    private static readonly Dimension ServiceCategory = new ColumnDimension("ServiceCategory");
    private static readonly Dimension RegionId = new ColumnDimension("RegionId");
    private static readonly Dimension Operation = new ColumnDimension("x_Operation");

    /// <summary>
    /// Five October line items, 45 USD of EffectiveCost:
    /// <code>
    /// cost   tags                  ServiceCategory  RegionId   x_Operation
    /// 10.25  team=nlp owner=ada    Compute          us-east-1  RunInstances
    ///  4.75  team=nlp              Storage          us-east-1
    /// 20     team=vision owner=grace Compute        eu-west-1
    ///  7     (none)                Networking       (none)
    ///  3     env=dev               Compute          us-east-1
    /// </code>
    /// <c>env</c> is an alias of the hierarchy key <c>environment</c>: the reader files its value there.
    /// </summary>
    private void ImportTeams() => Import(
        Item(10.25m).Tag("team", "nlp").Tag("owner", "ada").Text("RegionId", "us-east-1").Custom("x_Operation", "RunInstances"),
        Item(4.75m).Tag("team", "nlp").Text("ServiceCategory", "Storage").Text("RegionId", "us-east-1"),
        Item(20m).Tag("team", "vision").Tag("owner", "grace").Text("RegionId", "eu-west-1"),
        Item(7m).Text("ServiceCategory", "Networking"),
        Item(3m).Tag("env", "dev").Hierarchy("environment", "dev").Text("RegionId", "us-east-1"));

    private static Filter Is(Dimension dimension, string value) => new(dimension, FilterOperator.Equal, [value]);

    private static Filter IsNot(Dimension dimension, string value) => new(dimension, FilterOperator.NotEqual, [value]);

    private static Filter In(Dimension dimension, params string[] values) => new(dimension, FilterOperator.In, values);

    private static Filter NotIn(Dimension dimension, params string[] values) => new(dimension, FilterOperator.NotIn, values);

    /// <summary>The query's rows as "value|value|currency" → cost.</summary>
    private List<(string Group, decimal Cost)> Costs(CostQuery query) =>
        Store.QueryCosts(query, TagPolicy.Default).Select(r => (string.Join('|', r.Values.Append(r.Currency)), r.Cost)).ToList();

    private List<(string Group, decimal Cost)> CostsBy(params Dimension[] by) => Costs(new CostQuery { By = by });

    private decimal TotalWhere(params Filter[] where) => Store.QueryCosts(new CostQuery { Where = where }, TagPolicy.Default).Sum(r => r.Cost);

    [Fact]
    public void QueryCosts_WithoutGrouping_IsOneRowPerCurrency()
    {
        ImportTeams();

        var row = Store.QueryCosts(new CostQuery(), TagPolicy.Default).ShouldHaveSingleItem();

        // 10.25 + 4.75 + 20 + 7 + 3.
        row.Cost.ShouldBe(45m);
        row.Currency.ShouldBe("USD");
        row.Values.ShouldBeEmpty();
        row.Period.ShouldBeNull();
    }

    [Fact]
    public void QueryCosts_ByAFocusColumn_ShowsAMissingValueAsNone()
    {
        ImportTeams();

        CostsBy(ServiceCategory).ShouldBe([("Compute|USD", 33.25m), ("Storage|USD", 4.75m), ("Networking|USD", 7m)], ignoreOrder: true);
        CostsBy(RegionId).ShouldBe([("us-east-1|USD", 18m), ("eu-west-1|USD", 20m), ($"{MissingValue.None}|USD", 7m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_ByACustomXColumn()
    {
        ImportTeams();

        CostsBy(Operation).ShouldBe([("RunInstances|USD", 10.25m), ($"{MissingValue.None}|USD", 34.75m)], ignoreOrder: true);
        TotalWhere(Is(Operation, "RunInstances")).ShouldBe(10.25m);
        TotalWhere(Is(Operation, MissingValue.None)).ShouldBe(34.75m);
    }

    [Fact]
    public void QueryCosts_ByAHierarchyTag_ShowsCostWithoutItAsUntagged()
    {
        ImportTeams();

        CostsBy(Team).ShouldBe([("nlp|USD", 15m), ("vision|USD", 20m), ($"{MissingValue.Untagged}|USD", 10m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_ByAHierarchyTag_ReadsTheValueTheReaderFiledUnderIt()
    {
        ImportTeams();

        // The 3 was tagged env=dev; the reader filed it under environment.
        CostsBy(EnvironmentTag).ShouldBe([("dev|USD", 3m), ($"{MissingValue.Untagged}|USD", 42m)], ignoreOrder: true);
        CostsBy(new TagDimension("Environment")).ShouldBe([("dev|USD", 3m), ($"{MissingValue.Untagged}|USD", 42m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_ByAnotherTagKey_ReadsItThroughThePolicyLikeHierarchyKeys()
    {
        ImportTeams();

        CostsBy(Owner).ShouldBe([("ada|USD", 10.25m), ("grace|USD", 20m), ($"{MissingValue.Untagged}|USD", 14.75m)], ignoreOrder: true);
        CostsBy(new TagDimension("env")).ShouldBe([("dev|USD", 3m), ($"{MissingValue.Untagged}|USD", 42m)], ignoreOrder: true);
        // One normaliser for every key: Owner, owner and user:owner are one key.
        CostsBy(new TagDimension("Owner")).ShouldBe([("ada|USD", 10.25m), ("grace|USD", 20m), ($"{MissingValue.Untagged}|USD", 14.75m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_RefusesTagDimensionsAndConditions_WhichOnlyThePolicyReads()
    {
        ImportTeams();

        Should.Throw<ArgumentException>(() => Store.QueryCosts(new CostQuery { By = [Team] }));
        Should.Throw<ArgumentException>(() => Store.QueryCosts(new CostQuery { Where = [Is(Team, "nlp")] }));
    }

    [Fact]
    public void QueryCosts_BySeveralDimensions_ColumnsAndTags()
    {
        ImportTeams();

        CostsBy(Team, ServiceCategory).ShouldBe(
        [
            ("nlp|Compute|USD", 10.25m), ("nlp|Storage|USD", 4.75m), ("vision|Compute|USD", 20m),
            ($"{MissingValue.Untagged}|Networking|USD", 7m), ($"{MissingValue.Untagged}|Compute|USD", 3m),
        ], ignoreOrder: true);
        CostsBy(ServiceCategory, Owner).ShouldBe(
        [
            ("Compute|ada|USD", 10.25m), ("Storage|(untagged)|USD", 4.75m), ("Compute|grace|USD", 20m),
            ("Networking|(untagged)|USD", 7m), ("Compute|(untagged)|USD", 3m),
        ], ignoreOrder: true);
        CostsBy(Owner, Team, RegionId).ShouldBe(
        [
            ("ada|nlp|us-east-1|USD", 10.25m), ("(untagged)|nlp|us-east-1|USD", 4.75m), ("grace|vision|eu-west-1|USD", 20m),
            ("(untagged)|(untagged)|(none)|USD", 7m), ("(untagged)|(untagged)|us-east-1|USD", 3m),
        ], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_ByAllocationAndProviderColumns()
    {
        Import(
            Item(6m).Text("ServiceProviderName", "CoreWeave").Text("AllocatedMethodId", "gpu-hours").Text("AllocatedResourceId", "job-1"),
            Item(4m).Text("ServiceProviderName", "CoreWeave").Text("AllocatedMethodId", "gpu-hours").Text("AllocatedResourceId", "job-2"),
            Item(1m));

        CostsBy(new ColumnDimension("ServiceProviderName"), new ColumnDimension("AllocatedMethodId"), new ColumnDimension("AllocatedResourceId")).ShouldBe(
            [("CoreWeave|gpu-hours|job-1|USD", 6m), ("CoreWeave|gpu-hours|job-2|USD", 4m), ("(none)|(none)|(none)|USD", 1m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_ColumnNamesMatchInAnyCase()
    {
        ImportTeams();

        CostsBy(new ColumnDimension("servicecategory")).ShouldBe([("Compute|USD", 33.25m), ("Storage|USD", 4.75m), ("Networking|USD", 7m)], ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(CostStoreContractData.Conditions), MemberType = typeof(CostStoreContractData))]
    public void QueryCosts_Where_OnColumnsAndTags(string condition, decimal expected)
    {
        ImportTeams();

        TotalWhere(Parse(condition)).ShouldBe(expected);
    }

    [Fact]
    public void QueryCosts_Where_AllConditionsMustHold_AndCombineWithGrouping()
    {
        ImportTeams();

        TotalWhere(Is(Team, "nlp"), Is(ServiceCategory, "Compute")).ShouldBe(10.25m);
        TotalWhere(In(Owner, "ada", "grace"), IsNot(ServiceCategory, "Compute")).ShouldBe(0m);
        Costs(new CostQuery { By = [ServiceCategory], Where = [Is(Team, MissingValue.Untagged)] })
            .ShouldBe([("Networking|USD", 7m), ("Compute|USD", 3m)], ignoreOrder: true);
        Costs(new CostQuery { By = [Team], Where = [Is(Owner, "grace")] }).ShouldBe([("vision|USD", 20m)]);
        Costs(new CostQuery { By = [Owner], Where = [NotIn(RegionId, "eu-west-1")] })
            .ShouldBe([("ada|USD", 10.25m), ("(untagged)|USD", 14.75m)], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_FilterValuesAndTagKeys_AreData_NeverSql()
    {
        ImportTeams();

        TotalWhere(Is(Team, "'; DROP TABLE line_items; --")).ShouldBe(0m);
        TotalWhere(Is(new TagDimension("o'wner"), "x")).ShouldBe(0m);
        CostsBy(new TagDimension("o'wner\"); --")).ShouldBe([($"{MissingValue.Untagged}|USD", 45m)]);
        TotalWhere().ShouldBe(45m);
    }

    [Theory]
    [InlineData("NoSuchColumn")]
    [InlineData("BilledCost")]
    [InlineData("ChargePeriodStart")]
    [InlineData("Tags")]
    public void QueryCosts_ByAColumnThatCannotBeGrouped_IsBadInput_NamingIt(string column)
    {
        ImportTeams();

        Should.Throw<UserInputException>(() => Store.QueryCosts(new CostQuery { By = [new ColumnDimension(column)] }, TagPolicy.Default)).Message.ShouldContain(column);
        Should.Throw<UserInputException>(() => Store.QueryCosts(new CostQuery { Where = [Is(new ColumnDimension(column), "x")] }, TagPolicy.Default)).Message.ShouldContain(column);
    }

    [Fact]
    public void QueryCosts_EachCostMetric_SumsItsColumn()
    {
        Import(new LineItem().Costs(billed: 3m, effective: 2m, list: 5m, contracted: 4m), new LineItem().Costs(billed: 1m, effective: 0.5m, list: 1.5m, contracted: 1.25m));

        Store.QueryCosts(new CostQuery { Cost = CostMetric.Billed }, TagPolicy.Default).Single().Cost.ShouldBe(4m);
        Store.QueryCosts(new CostQuery { Cost = CostMetric.Effective }, TagPolicy.Default).Single().Cost.ShouldBe(2.5m);
        Store.QueryCosts(new CostQuery { Cost = CostMetric.List }, TagPolicy.Default).Single().Cost.ShouldBe(6.5m);
        Store.QueryCosts(new CostQuery { Cost = CostMetric.Contracted }, TagPolicy.Default).Single().Cost.ShouldBe(5.25m);
        Store.QueryCosts(new CostQuery(), TagPolicy.Default).Single().Cost.ShouldBe(2.5m); // EffectiveCost unless asked otherwise
    }

    [Fact]
    public void QueryCosts_KeepsMoneyExact_ToTheLastDigit()
    {
        Import(
            new LineItem().Costs(billed: 0.000000000000000001m, effective: 0.1m, list: 0m, contracted: 0m),
            new LineItem().Costs(billed: 12345678901.123456789m, effective: 0.2m, list: 0m, contracted: 0m));

        Store.QueryCosts(new CostQuery(), TagPolicy.Default).Single().Cost.ShouldBe(0.3m);
        Store.QueryCosts(new CostQuery { Cost = CostMetric.Billed }, TagPolicy.Default).Single().Cost.ShouldBe(12345678901.123456789000000001m);
    }

    [Fact]
    public void QueryCosts_Credits_AreNegative_AndReduceTheTotal()
    {
        Import(Item(100m), Item(-25.50m).Text("ChargeCategory", "Credit"));

        CostsBy(new ColumnDimension("ChargeCategory")).ShouldBe([("Usage|USD", 100m), ("Credit|USD", -25.50m)], ignoreOrder: true);
        Total().ShouldBe(74.50m);
    }

    [Fact]
    public void QueryCosts_SeveralCurrencies_AreNeverAdded()
    {
        Import(
            Item(10m).Tag("team", "nlp"),
            Item(5m).Tag("team", "vision"),
            Item(7m).Tag("team", "nlp").Text("BillingCurrency", "EUR"),
            Item(1000m).Text("BillingCurrency", "JPY").Text("BillingAccountId", "jp"));

        Costs(new CostQuery()).ShouldBe([("EUR", 7m), ("JPY", 1000m), ("USD", 15m)], ignoreOrder: true);
        CostsBy(Team).ShouldBe([("nlp|EUR", 7m), ("nlp|USD", 10m), ("vision|USD", 5m), ("(untagged)|JPY", 1000m)], ignoreOrder: true);
        CostsBy(Owner).ShouldBe([("(untagged)|EUR", 7m), ("(untagged)|USD", 15m), ("(untagged)|JPY", 1000m)], ignoreOrder: true);
        Costs(new CostQuery { Grain = TimeGrain.Month }).Select(r => r.Group).ShouldBe(["EUR", "JPY", "USD"], ignoreOrder: true);
    }

    [Fact]
    public void QueryCosts_Period_IsFromInclusive_ToExclusive_OnChargePeriodStart()
    {
        Import(
            Item(1m).Charge("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"),
            Item(2m).Charge("2026-10-02T00:00:00Z", "2026-10-03T00:00:00Z"),
            Item(4m).Charge("2026-10-03T00:00:00Z", "2026-10-04T00:00:00Z"),
            Item(8m).Charge("2026-10-03T23:00:00Z"));
        var oct2 = LineItem.Utc("2026-10-02T00:00:00Z");
        var oct3 = LineItem.Utc("2026-10-03T00:00:00Z");

        Store.QueryCosts(new CostQuery { From = oct2, To = oct3 }, TagPolicy.Default).Single().Cost.ShouldBe(2m); // the 1 ends on the 2nd: not in
        Store.QueryCosts(new CostQuery { From = oct2 }, TagPolicy.Default).Single().Cost.ShouldBe(14m);           // 2 + 4 + 8
        Store.QueryCosts(new CostQuery { To = oct2 }, TagPolicy.Default).Single().Cost.ShouldBe(1m);
        Store.QueryCosts(new CostQuery { From = oct3, To = LineItem.Utc("2026-10-03T23:00:00Z") }, TagPolicy.Default).Single().Cost.ShouldBe(4m);
        Store.QueryCosts(new CostQuery { From = oct3, To = oct3 }, TagPolicy.Default).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(CostStoreContractData.Grains), MemberType = typeof(CostStoreContractData))]
    public void QueryCosts_Grain_BucketsByChargePeriodStart_InUtc_InOrder(TimeGrain grain, string[] periods, decimal[] costs)
    {
        Import(
            Item(1m).Charge("2026-10-01T05:00:00Z"),
            Item(2m).Charge("2026-10-06T23:00:00Z"),
            Item(4m).Charge("2026-10-31T23:00:00Z"),
            Item(8m).Charge("2026-11-01T00:00:00Z"));

        var rows = Store.QueryCosts(new CostQuery { Grain = grain }, TagPolicy.Default);

        rows.Select(r => r.Period).ShouldBe(periods.Select(p => (DateTime?)LineItem.Utc(p + "T00:00:00Z")));
        rows.Select(r => r.Cost).ShouldBe(costs);
        rows.ShouldAllBe(r => r.Period!.Value.Kind == DateTimeKind.Utc && r.Values.Count == 0);
    }

    [Fact]
    public void QueryCosts_Grain_WithDimensionsAndAPeriod()
    {
        Import(
            Item(1m).Charge("2026-10-01T05:00:00Z").Tag("team", "nlp"),
            Item(2m).Charge("2026-10-01T06:00:00Z").Tag("team", "nlp").Tag("owner", "ada"),
            Item(4m).Charge("2026-10-02T00:00:00Z").Tag("team", "vision").Tag("owner", "ada"),
            Item(8m).Charge("2026-10-03T00:00:00Z").Tag("team", "nlp"));

        var rows = Store.QueryCosts(new CostQuery { Grain = TimeGrain.Day, By = [Team, Owner], To = LineItem.Utc("2026-10-03T00:00:00Z") }, TagPolicy.Default);

        rows.Select(r => (r.Period!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), string.Join('|', r.Values), r.Cost)).ShouldBe(
            [("2026-10-01", "nlp|(untagged)", 1m), ("2026-10-01", "nlp|ada", 2m), ("2026-10-02", "vision|ada", 4m)], ignoreOrder: true);
        rows.Select(r => r.Period).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public void QueryCosts_GrainHour_BucketsByTheUtcHourOfChargePeriodStart()
    {
        Import(
            Item(1m).Charge("2026-10-01T00:00:00Z", "2026-10-01T01:00:00Z"),
            Item(2m).Charge("2026-10-01T00:30:00Z", "2026-10-01T01:00:00Z"),
            Item(4m).Charge("2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z"),
            Item(8m).Charge("2026-10-02T23:00:00Z", "2026-10-03T00:00:00Z"));

        var rows = Store.QueryCosts(new CostQuery { Grain = TimeGrain.Hour }, TagPolicy.Default);

        rows.Select(r => (r.Period!.Value.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), r.Cost)).ShouldBe(
            [("2026-10-01 00:00", 3m), ("2026-10-01 01:00", 4m), ("2026-10-02 23:00", 8m)]);
    }

    /// <summary>Reads "key = value", "key != value", "key in (a, b)", "key not in (a, b)"; a key with a capital is a column.</summary>
    private static Filter Parse(string condition)
    {
        var parts = condition.Split(' ', 2);
        Dimension dimension = char.IsUpper(parts[0][0]) ? new ColumnDimension(parts[0]) : new TagDimension(parts[0]);
        var rest = parts[1];
        (FilterOperator op, string values) = rest switch
        {
            _ when rest.StartsWith("= ", StringComparison.Ordinal) => (FilterOperator.Equal, rest[2..]),
            _ when rest.StartsWith("!= ", StringComparison.Ordinal) => (FilterOperator.NotEqual, rest[3..]),
            _ when rest.StartsWith("in ", StringComparison.Ordinal) => (FilterOperator.In, rest[3..].Trim('(', ')')),
            _ when rest.StartsWith("not in ", StringComparison.Ordinal) => (FilterOperator.NotIn, rest[7..].Trim('(', ')')),
            _ => throw new ArgumentException(condition, nameof(condition)),
        };
        return new Filter(dimension, op, op is FilterOperator.In or FilterOperator.NotIn ? values.Split(", ") : [values]);
    }
}
