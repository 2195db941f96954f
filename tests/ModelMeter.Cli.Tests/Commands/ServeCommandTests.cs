using System.Diagnostics;
using System.Net;
using ModelMeter.Cli.Infrastructure;
using Spectre.Console.Testing;

namespace ModelMeter.Cli.Tests.Commands;

/// <summary><c>modelmeter serve</c> and the one-writer rule: while a server holds a store, other commands fail at once naming it.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_AnswersOnItsPort_HoldsTheStore_AndLetsGoOnStop()
    {
        using var cli = new CliHarness();
        cli.WriteText("timestamp,team,metric,value\n2026-10-01,nlp,gpu_hours,3\n", "usage.csv");
        (await cli.Run("import", "usage", "usage.csv")).ExitCode.ShouldBe(0);
        using var output = new TestConsole().Width(400);
        using var error = new TestConsole().Width(400);
        using var stop = new CancellationTokenSource();
        var serving = ModelMeterApp.RunAsync(["serve", "--port", "0", "--no-auth"], new CliContext(output, error, cli.Clock, cli.WorkingDirectory, false), stop.Token);

        var url = await UrlFrom(output, serving);
        using var http = new HttpClient();
        (await http.GetStringAsync(url + "/healthz")).ShouldBe("ok\n");
        (await http.GetStringAsync(url + "/api/v1/usage?by=team")).ShouldContain("\"team\": \"nlp\"");
        File.ReadAllText(cli.StorePath + ".server.json").ShouldContain(url);
        error.Output.ShouldContain("--no-auth: anyone on this machine can read every cost");

        stop.Cancel();
        (await serving).ShouldBe(0);
        File.Exists(cli.StorePath + ".server.json").ShouldBeFalse();
        output.Output.ShouldContain("Stopped; every accepted usage event is in the store.");
    }

    [Fact]
    public async Task WhileAServerHoldsTheStore_ACommandThatWritesFailsAtOnce_NamingTheServer()
    {
        using var cli = new CliHarness();
        cli.WriteText("timestamp,team,metric,value\n2026-10-01,nlp,gpu_hours,3\n", "usage.csv");
        (await cli.Run("import", "usage", "usage.csv")).ExitCode.ShouldBe(0);
        // Another live process holds the store: the lock a `modelmeter serve` there would have written.
        using var other = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            File.WriteAllText(cli.StorePath + ".server.json", $$"""{"pid": {{other.Id}}, "url": "http://127.0.0.1:8089", "started_at": "2026-11-15T11:00:00Z"}""");
            cli.WriteText("timestamp,team,metric,value\n2026-10-02,nlp,gpu_hours,4\n", "more.csv");

            var watch = Stopwatch.StartNew();
            var write = await cli.Run("import", "usage", "more.csv");
            var read = await cli.Run("report");

            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
            write.ExitCode.ShouldBe(2);
            write.Err.ShouldContain($"is held by `modelmeter serve` (pid {other.Id}, http://127.0.0.1:8089");
            write.Err.ShouldContain("POST http://127.0.0.1:8089/api/v1/usage");
            read.ExitCode.ShouldBe(2);
            read.Err.ShouldContain("http://127.0.0.1:8089/api/v1/report");
        }
        finally
        {
            other.Kill();
        }

        // A lock whose process is gone is stale: commands work again.
        await other.WaitForExitAsync();
        (await cli.Run("import", "usage", "more.csv")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task NoAuth_OnlyOnLoopback()
    {
        using var cli = new CliHarness();

        var run = await cli.Run("serve", "--no-auth", "--host", "0.0.0.0");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("--no-auth listens on loopback only");
    }

    private static async Task<string> UrlFrom(TestConsole output, Task<int> serving)
    {
        for (var i = 0; i < 300; i++)
        {
            if (serving.IsCompleted)
            {
                throw new InvalidOperationException($"serve ended with {await serving}: {output.Output}");
            }

            var line = output.Output.Split('\n').FirstOrDefault(l => l.StartsWith("Serving http://", StringComparison.Ordinal));
            if (line is not null)
            {
                return line["Serving ".Length..].Split(':', 3) is [var scheme, var host, var rest] ? $"{scheme}:{host}:{new string(rest.TakeWhile(char.IsAsciiDigit).ToArray())}" : throw new FormatException(line);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("serve printed no URL in 15 s");
    }
}
