using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter keys</c>: keys shown once, stored only as HMACs, listed and revoked.</summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task Create_ShowsTheKeyOnce_StoresOnlyItsHash_ListAndRevoke()
    {
        using var cli = new CliHarness();

        var created = await cli.Run("keys", "create", "--team", "NLP", "--role", "writer", "--note", "ranker fleet", "--format", "json");
        created.ExitCode.ShouldBe(0, created.Err);
        var document = JsonDocument.Parse(created.Out).RootElement;
        var key = document.GetProperty("key").GetString()!;
        var id = document.GetProperty("record").GetProperty("id").GetString()!;
        key.ShouldStartWith($"mm_{id}_");
        document.GetProperty("record").GetProperty("team").GetString().ShouldBe("nlp");

        var file = File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".modelmeter", "keys.json"));
        file.ShouldNotContain(key[(4 + id.Length)..]);
        File.Exists(Path.Combine(cli.WorkingDirectory, ".modelmeter", "keys.secret")).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(cli.WorkingDirectory, ".modelmeter", "keys.secret")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        (await cli.Run("keys", "list")).Out.ShouldContain("ranker fleet");
        (await cli.Run("keys", "revoke", id)).Out.ShouldContain($"Revoked key {id}");
        var list = JsonDocument.Parse((await cli.Run("keys", "list", "--format", "json")).Out).RootElement;
        list.GetProperty("keys")[0].GetProperty("revoked_at").GetString().ShouldNotBeNull();
    }

    [Theory]
    [InlineData(new[] { "keys", "create", "--role", "owner" }, "--role 'owner' is not one of viewer, writer, admin.")]
    [InlineData(new[] { "keys", "create", "--team", "nlp", "--role", "admin" }, "--role admin sees every team")]
    [InlineData(new[] { "keys", "create", "--team", "n l p" }, "--team 'n l p' is not a team value")]
    [InlineData(new[] { "keys", "revoke", "nope" }, "No API key with id 'nope'")]
    public async Task BadInput_IsRefused(string[] args, string message)
    {
        using var cli = new CliHarness();

        var run = await cli.Run(args);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain(message);
    }
}
