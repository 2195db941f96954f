using ModelMeter.Core.Catalog;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.CostModels;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.Configuration;

public sealed class YamlInputTests
{
    // YamlDotNet's scanner throws InvalidOperationException (not YamlException) on a flow collection cut short.
    private const string CutShort = "budgets: [\ncurrency: USD\n";

    [Fact]
    public void Config_AFlowSequenceCutShort_IsRefusedNamingTheFile_NotAnInternalError()
    {
        Should.Throw<UserInputException>(() => ConfigParser.Parse(CutShort, "modelmeter.yaml"))
            .Message.ShouldBe("modelmeter.yaml: line 1, column 10: not valid YAML: a '[' or '{' is not closed, or a value is cut short, before the end of the file.");
    }

    [Fact]
    public void CatalogAndEstimateSpec_AFlowSequenceCutShort_AreRefusedNamingTheFile()
    {
        Should.Throw<UserInputException>(() => CatalogParser.Parse("gpus: [\nas_of: 2026-10-01\n", "prices.yaml")).Message.ShouldBe("prices.yaml: line 1, column 7: not valid YAML: a '[' or '{' is not closed, or a value is cut short, before the end of the file.");
        Should.Throw<UserInputException>(() => EstimateSpec.Parse("inputs: [\nkind: training\n", "spec.yaml")).Message.ShouldStartWith("spec.yaml: not valid YAML");
    }

    [Fact]
    public void Config_BadYamlWithAPosition_StillNamesLineAndColumn()
    {
        Should.Throw<UserInputException>(() => ConfigParser.Parse("currency: USD\n  bad: : indent\n", "modelmeter.yaml"))
            .Message.ShouldStartWith("modelmeter.yaml: line 2, column");
    }
}
