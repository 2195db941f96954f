using ModelMeter.Application.Access;
using ModelMeter.Application.Imports;
using ModelMeter.Application.WhatIf;
using ModelMeter.Core.Errors;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests.WhatIf;

/// <summary>
/// <c>what-if instance</c>: a resource's billed hours of October repriced on another catalogue instance, worked by hand
/// from the shipped catalogue's on-demand prices (us-east-1, USD per hour: g5.2xlarge 1.212, g5.xlarge 1.006).
/// </summary>
public sealed class WhatIfInstanceUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public WhatIfInstanceUseCaseTests()
    {
        var bill = new FocusCsv();

        // i-g5: ten hours of a g5.2xlarge billed at 0.9696 an hour (the catalogue's 1.212 less a 20% discount), team nlp.
        for (var hour = 0; hour < 10; hour++)
        {
            bill.Row(("ResourceId", "i-g5"), ("SkuId", "USE1-BoxUsage:g5.2xlarge"), ("PricingCategory", "Standard"), ("EffectiveCost", "0.9696"), ("BilledCost", "0.9696"),
                ("ChargePeriodStart", $"2026-10-02T{hour:00}:00:00Z"), ("ChargePeriodEnd", $"2026-10-02T{hour + 1:00}:00:00Z"));
        }

        // i-m5: four hours of an m5.2xlarge (not in the GPU catalogue) at 0.384 an hour, in eu-west-1, team search.
        for (var hour = 0; hour < 4; hour++)
        {
            bill.Row(("ResourceId", "i-m5"), ("SkuId", "EU-BoxUsage:m5.2xlarge"), ("RegionId", "eu-west-1"), ("EffectiveCost", "0.384"), ("BilledCost", "0.384"),
                ("Tags", "{\"team\":\"search\"}"), ("ChargePeriodStart", $"2026-10-20T{hour:00}:00:00Z"), ("ChargePeriodEnd", $"2026-10-20T{hour + 1:00}:00:00Z"));
        }

        bill.Row(("ResourceId", "bucket"), ("ServiceName", "Amazon S3"), ("ServiceCategory", "Storage"), ("PricingUnit", "GB-Mo"), ("PricingQuantity", "100"), ("EffectiveCost", "2.3"), ("BilledCost", "2.3"));
        _app.Get<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = [_app.Write(bill, "focus.csv")] }).Outcome.ShouldBe(ImportOutcome.Imported);
    }

    public void Dispose() => _app.Dispose();

    private WhatIfInstanceReport Run(string resource, string instance, AccessScope? access = null, string? month = "2026-10", string? from = null, string? to = null) =>
        _app.Get<WhatIfInstanceUseCase>().Run(new WhatIfInstanceRequest { Resource = resource, As = instance, Month = month, From = from, To = to, Access = access ?? AccessScope.Everything });

    [Fact]
    public void ACataloguedInstance_IsRepricedAtTheBillsOwnRatio_KeepingItsDiscount()
    {
        var report = Run("i-g5", "g5.xlarge");

        // 10 h × 0.9696 = 9.696 actual. On g5.xlarge: 0.9696 × 1.006 ÷ 1.212 = 0.8048 an hour (the same 20% off 1.006),
        // × 10 h = 8.048; difference −1.648; October is a calendar month, so that is the monthly difference.
        (report.CurrentInstance, report.Instance, report.Basis).ShouldBe(("g5.2xlarge", "g5.xlarge", "bill_ratio"));
        (report.Hours, report.ActualHourly, report.WhatIfHourly).ShouldBe((10m, 0.9696m, 0.8048m));
        (report.Actual, report.WhatIf, report.Difference, report.MonthlyDifference).ShouldBe((9.696m, 8.048m, -1.648m, -1.648m));
        report.Team.ShouldBe("nlp");
        report.Working.ShouldContain(w => w.Contains("0.9696 × 1.006 ÷ 1.212 = 0.8048", StringComparison.Ordinal));
    }

    [Fact]
    public void AnInstanceTheCatalogueLacks_IsPricedAtTheTargetsCataloguePrice_AndAnotherRegionIsNamed()
    {
        var report = Run("i-m5", "g5.xlarge");

        // 4 h × 0.384 = 1.536 actual; 4 h × 1.006 on-demand = 4.024; difference 2.488 more.
        (report.CurrentInstance, report.Basis, report.Hours).ShouldBe((null, "on_demand", 4m));
        (report.Actual, report.WhatIf, report.Difference).ShouldBe((1.536m, 4.024m, 2.488m));
        report.Warnings.ShouldContain(w => w.Contains("eu-west-1", StringComparison.Ordinal) && w.Contains("us-east-1", StringComparison.Ordinal));
    }

    [Fact]
    public void APeriodThatIsNotACalendarMonth_ScalesTheDifferenceToAMonth()
    {
        var report = Run("i-g5", "g5.xlarge", month: null, from: "2026-10-01", to: "2026-10-11");

        // −1.648 over 10 days × 30.4375 ÷ 10 = −5.0161 a month.
        report.Difference.ShouldBe(-1.648m);
        report.MonthlyDifference.ShouldBe(-5.0161m);
    }

    [Fact]
    public void UnknownInstances_OtherProviders_StorageAndOtherTeamsResources_AreRefused()
    {
        var unknown = Should.Throw<UserInputException>(() => Run("i-g5", "g5.huge")).Message;
        unknown.ShouldContain("not an instance type in the price catalogue");
        unknown.ShouldContain("g5.xlarge");
        unknown.ShouldNotContain("a2-highgpu-1g", Case.Sensitive, "only the resource's provider's instances are valid");
        Should.Throw<UserInputException>(() => Run("i-g5", "a2-highgpu-1g")).Message.ShouldContain("is a gcp instance, but i-g5 is billed by AWS");
        Should.Throw<UserInputException>(() => Run("bucket", "g5.xlarge")).Message.ShouldContain("billed in GB-Mo, not hours");
        Should.Throw<UserInputException>(() => Run("i-g5", "g5.xlarge", AccessScope.ForTeam("search"))).Message.ShouldContain("No usage charges of resource 'i-g5'");
        Run("i-m5", "g5.xlarge", AccessScope.ForTeam("search")).Team.ShouldBe("search");
        Should.Throw<UserInputException>(() => Run("i-nope", "g5.xlarge")).Message.ShouldContain("No usage charges of resource 'i-nope' between 2026-10-01 and 2026-11-01");
    }
}
