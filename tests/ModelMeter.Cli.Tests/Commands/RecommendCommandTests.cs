using System.Text.Json;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter recommend</c> on the demo month, through the command line.</summary>
public class RecommendCommandTests(DemoAttributionFixture demo) : IClassFixture<DemoAttributionFixture>
{
    [Fact]
    public async Task Recommend_ListsTheFindingsRankedBySaving_WithATotal()
    {
        demo.Demo.ExitCode.ShouldBe(0, demo.Demo.Error);
        demo.Demo.Out.ShouldContain("scale-down: 4,423.80 USD a month", Case.Sensitive, "the demo prints the saving each planted waste should yield");
        demo.Demo.Out.ShouldContain("unattached-volume: 160.00 USD a month", Case.Sensitive, "2,000 GB of gp3 × 0.08 USD per GB-month");
        demo.Demo.Out.ShouldContain("untagged: allocation, no saving by itself");

        var result = await demo.Cli.RunAsync("recommend", "--from", "2026-10-01", "--to", "2026-10-31");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("scale-down");
        result.Out.ShouldContain("4,423.80");
        result.Out.ShouldContain("off-hours");
        result.Out.ShouldContain("Total");

        // --explain shows the finding's arithmetic: (6 − 2) instances × 1.515 USD/instance-hour × 730 h.
        var explain = await demo.Cli.RunAsync("recommend", "--explain", "scale-down-c0dd95de", "--from", "2026-10-01", "--to", "2026-10-31");
        explain.ExitCode.ShouldBe(0, explain.Error);
        explain.Out.ShouldContain("1.515 USD/instance-hour");
        explain.Out.ShouldContain("4,423.80 USD");
    }

    [Fact]
    public async Task Recommend_Json_IsTheDocumentedDocument_AndExplainShowsTheArithmetic()
    {
        var json = await demo.Cli.RunAsync("recommend", "--format", "json", "--min-saving", "0");
        json.ExitCode.ShouldBe(0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        var findings = doc.RootElement.GetProperty("findings");
        findings.GetArrayLength().ShouldBeGreaterThan(5);
        var first = findings[0];
        foreach (var field in new[] { "id", "rule", "resources", "owner", "team", "evidence", "monthly_saving", "monthly_cost", "currency", "how", "effort", "risk", "action" })
        {
            first.TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        var explain = await demo.Cli.RunAsync("recommend", "--explain", first.GetProperty("id").GetString()!);
        explain.ExitCode.ShouldBe(0, explain.Error);
        explain.Out.ShouldContain("how:");
        explain.Out.ShouldContain("evidence:");

        var markdown = await demo.Cli.RunAsync("recommend", "--format", "markdown");
        markdown.Out.ShouldStartWith("### Recommendations");

        var unknown = await demo.Cli.RunAsync("recommend", "--explain", "idle-00000000");
        unknown.ExitCode.ShouldBe(2);
        unknown.Error.ShouldContain("is not a finding");
    }

    private static readonly string[] PlanFields = ["generated_at", "from", "to", "actions"];

    private static readonly string[] ActionFields = ["finding_id", "rule", "resource", "action", "due_date", "owner", "team", "monthly_saving", "currency"];

    [Fact]
    public async Task Recommend_Plan_WritesTheDocumentedActions_WithTheSchemaDocsJsonShows()
    {
        var result = await demo.Cli.RunAsync("recommend", "--from", "2026-10-01", "--to", "2026-10-31", "--min-saving", "1000", "--plan", "plan.json");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Error.ShouldContain("action(s) to plan.json");
        using var plan = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(demo.Cli.Directory, "plan.json")));
        CheckPlanSchema(plan.RootElement);
        var actions = plan.RootElement.GetProperty("actions");
        actions.GetArrayLength().ShouldBeGreaterThan(2);
        var scaleDown = actions.EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "scale-down");
        scaleDown.GetProperty("monthly_saving").GetDecimal().ShouldBe(4423.80m);
        scaleDown.GetProperty("due_date").GetString().ShouldBe("2026-11-10", "no stop date: due after the 7 days' notice from the run's day (2026-11-03)");
        actions.EnumerateArray().Where(a => a.GetProperty("rule").GetString() == "idle").ShouldAllBe(a => a.GetProperty("owner").GetString() != null);

        // The example in docs/json.md is a document of the same schema.
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "json.md"));
        var section = docs[docs.IndexOf("## `recommend --plan FILE`", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        using var example = JsonDocument.Parse(section[start..section.IndexOf("```", start, StringComparison.Ordinal)]);
        CheckPlanSchema(example.RootElement);
    }

    [Fact]
    public async Task Recommend_Exec_IsRefusedWithoutConfirmationWhenStdinIsNotATerminal_AndWithYesRunsTheCommandPerActionAndRecordsIt()
    {
        var config = demo.Cli.WriteFile("exec.yaml", "recommendations:\n  exec:\n    command: \"cat > ran.json; echo applied\"\n    timeout_seconds: 20\n");
        var json = await demo.Cli.RunAsync("recommend", "--format", "json", "--from", "2026-10-01", "--to", "2026-10-31");
        var id = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "off-hours").GetProperty("id").GetString()!;
        var ran = Path.Combine(demo.Cli.Directory, "ran.json");

        var refused = await demo.Cli.RunAsync("recommend", "--config", config, "--from", "2026-10-01", "--to", "2026-10-31", "--explain", id, "--exec");

        refused.ExitCode.ShouldBe(2, refused.Out);
        refused.Error.ShouldContain("needs a confirmation");
        refused.Error.ShouldContain("--yes");
        File.Exists(ran).ShouldBeFalse("nothing runs without a confirmation");

        var done = await demo.Cli.RunAsync("recommend", "--config", config, "--from", "2026-10-01", "--to", "2026-10-31", "--explain", id, "--exec", "--yes");

        done.ExitCode.ShouldBe(0, done.Error);
        done.Out.ShouldContain("1 succeeded, 0 failed");
        done.Out.ShouldContain("applied");
        using (var action = JsonDocument.Parse(await File.ReadAllTextAsync(ran)))
        {
            action.RootElement.GetProperty("finding_id").GetString().ShouldBe(id, "the action as JSON on stdin");
            action.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(ActionFields);
        }

        var history = await demo.Cli.RunAsync("recommend", "--config", config, "--history", "--format", "json");
        history.ExitCode.ShouldBe(0, history.Error);
        var entry = JsonDocument.Parse(history.Out).RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("finding_id").GetString() == id);
        entry.GetProperty("kind").GetString().ShouldBe("executed");
        entry.GetProperty("action_on").GetString().ShouldBe("2026-11-03", "it ran on the clock's day");
        entry.GetProperty("last_exit_code").GetInt32().ShouldBe(0);
        var table = await demo.Cli.RunAsync("recommend", "--config", config, "--history");
        table.Out.ShouldContain(id);
    }

    [Fact]
    public async Task Recommend_Exec_StopsACommandAtTheTimeout_AndExitsOneWhenAnActionFailed()
    {
        var config = demo.Cli.WriteFile("slow.yaml", "recommendations:\n  exec:\n    command: \"sleep 30\"\n    timeout_seconds: 1\n");
        var json = await demo.Cli.RunAsync("recommend", "--format", "json", "--from", "2026-10-01", "--to", "2026-10-31");
        var id = JsonDocument.Parse(json.Out).RootElement.GetProperty("findings")[0].GetProperty("id").GetString()!;

        var slow = await demo.Cli.RunAsync("recommend", "--config", config, "--from", "2026-10-01", "--to", "2026-10-31", "--explain", id, "--exec", "--yes", "--format", "json");

        slow.ExitCode.ShouldBe(1, slow.Error);
        var action = JsonDocument.Parse(slow.Out).RootElement.GetProperty("actions").EnumerateArray().ShouldHaveSingleItem();
        action.GetProperty("timed_out").GetBoolean().ShouldBeTrue();
        action.GetProperty("exit_code").ValueKind.ShouldBe(JsonValueKind.Null);
        action.GetProperty("seconds").GetDecimal().ShouldBeLessThan(20m);
    }

    [Fact]
    public async Task Recommend_History_ShowsEachRecordedFindingsEstimateAgainstWhatTheBillShowsSince()
    {
        (await demo.Cli.RunAsync("recommend")).ExitCode.ShouldBe(0, "a whole-bill run records its findings");

        var history = await demo.Cli.RunAsync("recommend", "--history", "--format", "json");

        history.ExitCode.ShouldBe(0, history.Error);
        var root = JsonDocument.Parse(history.Out).RootElement;
        var notebook = root.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "idle");
        notebook.GetProperty("estimated_monthly_saving").GetDecimal().ShouldBeGreaterThan(0m);
        notebook.GetProperty("action_on").GetString().ShouldBe("2026-11-01", "found in the window ending 2026-10-31: the change counts from the next day");
        if (root.GetProperty("billed_until").GetString() is { } until && string.CompareOrdinal(until, "2026-11-01") >= 0)
        {
            // The demo's notebooks still run after the month: nothing realised yet.
            notebook.GetProperty("status").GetString().ShouldBe("not_realised");
            notebook.GetProperty("realised_monthly_saving").GetDecimal().ShouldBeLessThan(notebook.GetProperty("estimated_monthly_saving").GetDecimal() / 10m);
        }
    }

    private static void CheckPlanSchema(JsonElement plan)
    {
        plan.EnumerateObject().Select(p => p.Name).ShouldBe(PlanFields);
        plan.GetProperty("generated_at").GetString().ShouldEndWith("Z");
        DateOnly.ParseExact(plan.GetProperty("from").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        plan.GetProperty("actions").GetArrayLength().ShouldBeGreaterThan(0);
        foreach (var action in plan.GetProperty("actions").EnumerateArray())
        {
            action.EnumerateObject().Select(p => p.Name).ShouldBe(ActionFields);
            foreach (var text in new[] { "finding_id", "rule", "resource", "action", "currency" })
            {
                action.GetProperty(text).ValueKind.ShouldBe(JsonValueKind.String, text);
            }

            DateOnly.ParseExact(action.GetProperty("due_date").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            action.GetProperty("monthly_saving").ValueKind.ShouldBe(JsonValueKind.Number);
            action.GetProperty("owner").ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
            action.GetProperty("team").ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ModelMeter.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ModelMeter.slnx not found above the test binaries.");
    }
}
