using ModelMeter.Tests.Support;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>recommend --exec</c> in a terminal: it shows the actions and runs them only when the person says yes.</summary>
public sealed class RecommendExecConfirmationTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Exec_InATerminal_RunsOnlyAfterTheAnswerIsYes()
    {
        // Given an untagged 35 USD resource (an untagged finding) and a command that leaves a file per action.
        _cli.Write(new FocusCsv().Row(("EffectiveCost", "35"), ("Tags", ""), ("ResourceId", "i-vision")), "bill.csv");
        (await _cli.Run("import", "focus", "bill.csv", "--quiet")).ExitCode.ShouldBe(0);
        _cli.WriteText("recommendations:\n  exec:\n    command: \"cat >> ran.jsonl\"\n", "exec.yaml");
        var ran = Path.Combine(_cli.WorkingDirectory, "ran.jsonl");

        var declined = await _cli.RunAnswering("n", "recommend", "--config", "exec.yaml", "--min-saving", "0", "--exec");

        declined.ExitCode.ShouldBe(0, declined.Err);
        declined.Out.ShouldContain("i-vision");
        declined.Err.ShouldContain("Nothing ran.");
        File.Exists(ran).ShouldBeFalse();

        var accepted = await _cli.RunAnswering("y", "recommend", "--config", "exec.yaml", "--min-saving", "0", "--exec");

        accepted.ExitCode.ShouldBe(0, accepted.Err);
        accepted.Out.ShouldContain("1 succeeded, 0 failed");
        (await File.ReadAllTextAsync(ran)).ShouldContain("\"resource\": \"i-vision\"");
    }
}
