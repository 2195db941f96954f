using System.Reflection;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Recommendations;

namespace ModelMeter.Core.Tests.Configuration;

public sealed class RecommendationsConfigTests
{
    [Fact]
    public void EveryThresholdOfTheRules_CanBeSetInTheRecommendationsSection()
    {
        var settings = typeof(RecommendationSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);
        var config = typeof(RecommendationsConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        settings.Where(name => !config.Contains(name)).ShouldBeEmpty("a threshold the rules read must be a key of recommendations: in modelmeter.yaml");
    }

    [Fact]
    public void TheTransferSkuFragments_ComeFromTheConfig_AndDefaultToTheDocumentedOnes()
    {
        var config = ConfigParser.Parse("recommendations:\n  cross_zone_skus: [Inter-AZ]\n  recurring_share: 0.5\n", "modelmeter.yaml");

        var settings = config.Recommendations.ToSettings();

        settings.CrossZoneSkus.ShouldBe(["Inter-AZ"]);
        settings.RecurringShare.ShouldBe(0.5m);
        settings.CrossRegionSkus.ShouldBe(["InterRegion", "DataTransfer-xAZ-Region"]);
        new RecommendationsConfig().ToSettings().CrossZoneSkus.ShouldBe(["DataTransfer-Regional", "InterZone"]);
    }
}
