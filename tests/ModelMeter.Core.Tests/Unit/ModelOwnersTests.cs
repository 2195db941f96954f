using ModelMeter.Core.Unit;

namespace ModelMeter.Core.Tests.Unit;

public sealed class ModelOwnersTests
{
    [Fact]
    public void AModelBilledUnderOneTeam_IsThatTeams_AndOneBilledUnderSeveral_IsNobodys()
    {
        var ownership = ModelOwners.Of(
        [
            ("ranker", "search"), ("ranker", "search"), ("embed", "search"),
            ("shared-llm", "nlp"), ("shared-llm", "vision"),
            ("ranker", null), (null, "platform"), ("", "platform"),
        ]);

        ownership.Owners.ShouldBe(new Dictionary<string, string> { ["ranker"] = "search", ["embed"] = "search" }, ignoreOrder: true);
        ownership.Ambiguous.ShouldBe(["shared-llm"]);
    }
}
