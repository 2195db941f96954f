using ModelMeter.Application.Access;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Usage;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Tests.Usage;

/// <summary><c>modelmeter usage</c> and <c>GET /api/v1/usage</c>: stored usage summed per metric and dimensions, in the caller's scope.</summary>
public sealed class UsageQueryUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public UsageQueryUseCaseTests()
    {
        var file = _app.WriteText(
            "start,end,team,model,metric,value\n" +
            "2026-10-01T22:00:00Z,2026-10-02T02:00:00Z,nlp,bert,gpu_hours,32\n" +
            "2026-10-01,2026-10-01,Vision,yolo,gpu_hours,16\n" +
            "2026-10-02T10:00:00Z,2026-10-02T11:00:00Z,NLP,bert,requests,1200\n" +
            "2026-11-03,2026-11-03,nlp,,gpu_hours,5\n",
            "usage.csv");
        _app.Get<ImportUsageUseCase>().Run(new ImportUsageRequest { Path = file });
    }

    public void Dispose() => _app.Dispose();

    private UsageReport Run(UsageQueryRequest request) => _app.Get<UsageQueryUseCase>().Run(request);

    private static string Rows(UsageReport report) => string.Join("; ", report.Rows.Select(r =>
        $"{r.Period?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {r.Metric} {string.Join(",", r.Dimensions.Values)} {r.Value}"));

    [Fact]
    public void Sums_PerMetricAndDimension_WithValuesNormalisedAsTags()
    {
        var report = Run(new UsageQueryRequest { By = "team", Month = "2026-10" });

        report.From.ShouldBe(new DateOnly(2026, 10, 1));
        report.To.ShouldBe(new DateOnly(2026, 11, 1));
        Rows(report).ShouldBe("- gpu_hours nlp 32; - gpu_hours vision 16; - requests nlp 1200");
        report.Totals.Select(t => $"{t.Metric} {t.Value}").ShouldBe(["gpu_hours 48", "requests 1200"]);
    }

    [Fact]
    public void AGrain_GivesOneRowPerBucket_AndAMissingDimensionIsUntagged()
    {
        var daily = Run(new UsageQueryRequest { Metric = "gpu_hours", By = "team", Grain = "day", Month = "2026-10" });
        var models = Run(new UsageQueryRequest { Metric = "gpu_hours", By = "model" });

        Rows(daily).ShouldBe("2026-10-01 gpu_hours nlp 16; 2026-10-01 gpu_hours vision 16; 2026-10-02 gpu_hours nlp 16");
        Rows(models).ShouldBe("- gpu_hours bert 32; - gpu_hours yolo 16; - gpu_hours (untagged) 5");
    }

    [Fact]
    public void ATeamScope_SeesItsTeamOnly_WhateverIsAsked()
    {
        var nlp = Run(new UsageQueryRequest { By = "team", Access = AccessScope.ForTeam("nlp") });
        var byModel = Run(new UsageQueryRequest { By = "model", Access = AccessScope.ForTeam("vision") });

        Rows(nlp).ShouldBe("- gpu_hours nlp 37; - requests nlp 1200");
        Rows(byModel).ShouldBe("- gpu_hours yolo 16");
    }

    [Fact]
    public void AnUnknownMetric_IsAWarning_AndABadPeriodAnError()
    {
        Run(new UsageQueryRequest { Metric = "predictions" }).Warnings.ShouldBe(["no stored usage of metric 'predictions' in the period."]);
        Should.Throw<UserInputException>(() => Run(new UsageQueryRequest { Month = "2026-1" })).Message.ShouldContain("--month '2026-1' is not a month");
    }
}
