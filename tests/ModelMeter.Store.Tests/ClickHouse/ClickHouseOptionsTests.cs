using ModelMeter.Core.Errors;
using ModelMeter.Store.ClickHouse;

namespace ModelMeter.Store.Tests.ClickHouse;

/// <summary>The store URL and config section of a ClickHouse store.</summary>
public sealed class ClickHouseOptionsTests
{
    [Fact]
    public void Parse_ReadsHostPortDatabaseClusterAndOptions()
    {
        var options = ClickHouseOptions.Parse("clickhouse://ch-1.internal:9123/costs?cluster=prod&user=meter&password_env=CH_PASSWORD&shards=ch-1.internal:9123,ch-2.internal:9124");

        options.Url.ShouldBe(new Uri("http://ch-1.internal:9123"));
        options.Database.ShouldBe("costs");
        options.Cluster.ShouldBe("prod");
        options.User.ShouldBe("meter");
        options.PasswordVariable.ShouldBe("CH_PASSWORD");
        options.Shards.ShouldBe([new Uri("http://ch-1.internal:9123"), new Uri("http://ch-2.internal:9124")]);
        options.ToString().ShouldBe("clickhouse://ch-1.internal:9123/costs?cluster=prod&user=meter&password_env=CH_PASSWORD&shards=ch-1.internal:9123,ch-2.internal:9124");
    }

    [Fact]
    public void Parse_DefaultsToPort8123_DatabaseModelmeter_AndPlainHttp()
    {
        var options = ClickHouseOptions.Parse("clickhouse://127.0.0.1?cluster=two");

        options.Url.ShouldBe(new Uri("http://127.0.0.1:8123"));
        options.Database.ShouldBe("modelmeter");
        options.Shards.ShouldBeNull();
        ClickHouseOptions.Parse("clickhouse://ch:8443/?cluster=two&secure=true").Url.ShouldBe(new Uri("https://ch:8443"));
    }

    [Theory]
    [InlineData("clickhouse://127.0.0.1:8123/modelmeter", "names no cluster")]
    [InlineData("clickhouse://127.0.0.1:8123/model-meter?cluster=two", "database 'model-meter'")]
    [InlineData("clickhouse://127.0.0.1:8123/m?cluster=two;DROP", "cluster 'two;DROP'")]
    [InlineData("clickhouse://127.0.0.1:8123/m?cluster=two&pasword_env=X", "unknown option 'pasword_env'")]
    [InlineData("clickhouse://127.0.0.1:8123/m?cluster=two&password_env=not-a-name", "password_env 'not-a-name'")]
    [InlineData("clickhouse://127.0.0.1:8123/m?cluster=two&shards=::::", "shard address")]
    public void Parse_RefusesWhatIsNotAStore_SayingWhat(string url, string what)
    {
        var error = Should.Throw<UserInputException>(() => ClickHouseOptions.Parse(url));

        error.Message.ShouldContain(what);
        error.Message.ShouldContain("clickhouse://HOST:8123/DATABASE?cluster=NAME");
    }
}
