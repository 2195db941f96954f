using ModelMeter.Application.Access;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Tests.Access;

/// <summary>API keys: shown once, kept as HMACs under a server secret, verified only while live, scoped to one team.</summary>
public sealed class KeysUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    private KeysUseCase Keys => _app.Get<KeysUseCase>();

    private static readonly KeysRequest Request = new();

    [Fact]
    public void Create_KeepsOnlyTheKeysHmac_AndTheKeyVerifiesToItsRecord()
    {
        var created = Keys.Create(Request, "NLP", "writer", "ranker fleet");
        var file = Keys.RingFor(Request);

        created.Record.Team.ShouldBe("nlp", "the team value is normalised by the tag policy");
        created.Record.Role.ShouldBe("writer");
        created.Record.CreatedAt.ShouldBe(AppHarness.Now.UtcDateTime);
        created.File.ShouldBe(Path.Combine(_app.Temp.Path, ".modelmeter", "keys.json"));
        File.ReadAllText(created.File).ShouldNotContain(created.Key);
        File.ReadAllText(created.File).ShouldNotContain(created.Key[^20..]);

        var record = ApiKeyRing.Verify(file.Load(), file.Secret(), created.Key).ShouldNotBeNull();
        record.Id.ShouldBe(created.Record.Id);
        record.Team.ShouldBe("nlp");
        record.Role.ShouldBe(ApiKeyRole.Writer);
    }

    [Fact]
    public void Verify_RefusesAChangedKey_AnUnknownOne_AnotherSecret_AndARevokedKey()
    {
        var created = Keys.Create(Request, null, "viewer", null);
        var file = Keys.RingFor(Request);
        var records = file.Load();
        var secret = file.Secret();
        var last = created.Key[^1] == 'A' ? 'B' : 'A';

        ApiKeyRing.Verify(records, secret, created.Key[..^1] + last).ShouldBeNull();
        ApiKeyRing.Verify(records, secret, "mm_000000000000_" + created.Key[16..]).ShouldBeNull();
        ApiKeyRing.Verify(records, secret, "Bearer " + created.Key).ShouldBeNull();
        ApiKeyRing.Verify(records, new byte[32], created.Key).ShouldBeNull("the HMAC is under the server's own secret");

        var revoked = Keys.Revoke(Request, created.Record.Id);

        revoked.RevokedAt.ShouldBe(AppHarness.Now.UtcDateTime);
        ApiKeyRing.Verify(file.Load(), secret, created.Key).ShouldBeNull();
        Keys.List(Request).Keys.ShouldHaveSingleItem().RevokedAt.ShouldNotBeNull("a revoked key stays listed");
    }

    [Fact]
    public void EveryKeyIsDifferent_AndListShowsNone()
    {
        var a = Keys.Create(Request, "nlp", "viewer", null);
        var b = Keys.Create(Request, "nlp", "viewer", null);

        a.Key.ShouldNotBe(b.Key);
        a.Record.Id.ShouldNotBe(b.Record.Id);
        Keys.List(Request).Keys.Select(k => k.Id).ShouldBe([a.Record.Id, b.Record.Id]);
    }

    [Theory]
    [InlineData(null, "owner", "--role 'owner' is not one of viewer, writer, admin.")]
    [InlineData("nlp", "admin", "--role admin sees every team")]
    [InlineData("n l p", "viewer", "--team 'n l p' is not a team value")]
    public void BadInput_IsRefused_WithTheCliMessage(string? team, string role, string message)
    {
        Should.Throw<UserInputException>(() => Keys.Create(Request, team, role, null)).Message.ShouldContain(message);
        File.Exists(Keys.RingFor(Request).Where).ShouldBeFalse("nothing is written for a refused key");
    }

    [Fact]
    public void AccessScope_AddsTheTeamAsAConditionThatMustAlsoHold()
    {
        var query = new Reporting.CostQueryText { By = "tag:model", Where = ["ServiceName=Amazon SageMaker"] };

        AccessScope.Everything.Restrict(query).ShouldBe(query);
        AccessScope.ForTeam("nlp").Restrict(query).Where.ShouldBe(["ServiceName=Amazon SageMaker", "tag:team=nlp"]);
        Should.Throw<AccessDeniedException>(() => AccessScope.ForTeam("nlp").DemandEverything("The import list"))
            .Message.ShouldBe("The import list covers every team; this API key reads team 'nlp' only.");
    }
}
