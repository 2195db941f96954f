using ModelMeter.Core.Attribution;
using ModelMeter.Core.Errors;

namespace ModelMeter.Core.Tests.Attribution;

public class ResourceTagMapTests
{
    [Fact]
    public void LongShape_OneTagPerLine()
    {
        var map = ResourceTagMap.Parse("resource_id,key,value\r\nvol-1,team,nlp\r\nvol-1,model,bert\r\n\"arn:x,y\",team,\"vision \"\"cv\"\"\"\r\n", "tags.csv");

        map.Count.ShouldBe(2);
        map.TryGet("vol-1", out var vol).ShouldBeTrue();
        vol.ShouldBe(new Dictionary<string, string> { ["team"] = "nlp", ["model"] = "bert" }, ignoreOrder: true);
        map.TryGet("arn:x,y", out var arn).ShouldBeTrue();
        arn["team"].ShouldBe("vision \"cv\"");
    }

    [Fact]
    public void WideShape_OneResourcePerLine_EmptyCellsSetNothing()
    {
        var map = ResourceTagMap.Parse("# owners of untaggable endpoints\nresource_id,team,model\nendpoint/a,nlp,\nendpoint/b,,ranker\n", "tags.csv");

        map.TryGet("endpoint/a", out var a).ShouldBeTrue();
        a.ShouldBe(new Dictionary<string, string> { ["team"] = "nlp" });
        map.TryGet("endpoint/b", out var b).ShouldBeTrue();
        b.ShouldBe(new Dictionary<string, string> { ["model"] = "ranker" });
        map.TryGet("endpoint/c", out _).ShouldBeFalse();
    }

    [Fact]
    public void TwoValuesForOneKeyOfOneResource_AreRefused_WithLineAndColumn()
    {
        var ex = Should.Throw<UserInputException>(() => ResourceTagMap.Parse("resource_id,key,value\nvol-1,team,nlp\nvol-1,team,vision\n", "tags.csv"));

        ex.Message.ShouldBe("tags.csv: line 3, column 3: vol-1 has team=nlp already; cannot also be vision.");
    }

    [Theory]
    [InlineData("id,team\nx,nlp\n", "line 1: the header must start with resource_id")]
    [InlineData("resource_id,team\nx,nlp,extra\n", "line 2: 3 fields, the header has 2.")]
    [InlineData("resource_id,team\n,nlp\n", "line 2, column 1: resource_id is empty.")]
    [InlineData("resource_id,team,team\n", "line 1, column 3: column 'team' appears twice")]
    [InlineData("resource_id,team\n\"x,nlp\n", "line 2: a quoted field is never closed.")]
    public void MalformedText_IsRefused_SayingWhere(string text, string expected)
    {
        var ex = Should.Throw<UserInputException>(() => ResourceTagMap.Parse(text, "tags.csv"));

        ex.Message.ShouldStartWith("tags.csv: ");
        ex.Message.ShouldContain(expected);
    }
}
