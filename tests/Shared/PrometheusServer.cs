using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelMeter.Tests.Support;

/// <summary>
/// A real Prometheus with history, for tests: OpenMetrics text with timestamps is turned into TSDB blocks by
/// <c>promtool tsdb create-blocks-from openmetrics</c>, then <c>prometheus</c> serves them on a free loopback port with an
/// empty config and a retention long enough for the samples. Missing binaries FAIL the test that needs them: ./test.sh
/// installs Debian's <c>prometheus</c> package when it is not there.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _temp = new();

    public PrometheusServer(string openMetrics, string readyQuery)
    {
        var prometheus = Find("prometheus");
        var promtool = Find("promtool");
        var input = _temp.File("samples.om.txt");
        File.WriteAllText(input, openMetrics, new UTF8Encoding(false));
        var data = _temp.File("data");
        Run(promtool, ["tsdb", "create-blocks-from", "openmetrics", input, data]);

        Port = FreePort();
        Url = $"http://127.0.0.1:{Port}";
        var start = new ProcessStartInfo(prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--storage.tsdb.path={data}", $"--web.listen-address=127.0.0.1:{Port}", "--config.file=/dev/null",
            "--storage.tsdb.retention.time=3650d", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (Log)
                {
                    Log.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilServing(readyQuery);
    }

    public int Port { get; }

    public string Url { get; }

    public StringBuilder Log { get; } = new();

    /// <summary>The start of the hour <paramref name="hoursAgo"/> hours before now: samples there are inside any retention.</summary>
    public static DateTime HourAgo(int hoursAgo)
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-hoursAgo);
    }

    public static string Unix(DateTime t) => ((long)(t - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private void WaitUntilServing(string query)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                var ready = http.GetAsync(new Uri(Url + "/-/ready")).GetAwaiter().GetResult();
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var answer = http.GetStringAsync(new Uri($"{Url}/api/v1/query?query={Uri.EscapeDataString(query)}")).GetAwaiter().GetResult();
                    if (answer.Contains("\"result\":[{", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Thread.Sleep(200);
        }

        throw new InvalidOperationException($"prometheus at {Url} did not serve the backfilled samples within 60 s: {Log}");
    }

    private static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{name} is not installed, and the Prometheus tests need a real server: run ./test.sh (it installs Debian's prometheus package) or apt-get install -y prometheus.");
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error} {output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            _temp.Dispose();
        }
    }
}

/// <summary>Six hours of serving and GPU history as OpenMetrics text, every five minutes, for the Prometheus tests.</summary>
internal static class ServingHistory
{
    /// <summary>
    /// From <paramref name="start"/> to six hours later: predictions_total{model="ranker"} +100 every 5 min (from 10,000, so no hour is cut by the counter's zero point) (1,200 an hour);
    /// vllm prompt tokens +500 and generation tokens +100 every 5 min for model_name="llama"; DCGM utilisation 20% for
    /// three hours then 80% on Hostname="node-a" gpu 0, framebuffer 1,024 MiB; Triton's nv_gpu_utilization 0.35.
    /// </summary>
    public static string OpenMetrics(DateTime start)
    {
        var text = new StringBuilder();
        // Samples sit between step boundaries (2.5 minutes past each five), so no sample belongs to two hours: Prometheus 2
        // range selectors include both ends.
        var points = Enumerable.Range(0, 6 * 12).Select(i => (At: start.AddSeconds(150 + (300 * i)), I: i)).ToList();
        void Family(string type, string name, string series, Func<int, DateTime, string> value)
        {
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (at, i) in points)
            {
                text.Append(series).Append(' ').Append(value(i, at)).Append(' ').Append(PrometheusServer.Unix(at)).Append('\n');
            }
        }

        Family("counter", "predictions", "predictions_total{model=\"ranker\",resource_id=\"i-ranker\"}", (i, _) => (10_000 + (100 * i)).ToString(CultureInfo.InvariantCulture));
        Family("counter", "vllm:prompt_tokens", "vllm:prompt_tokens_total{model_name=\"llama\"}", (i, _) => (50_000 + (500 * i)).ToString(CultureInfo.InvariantCulture));
        Family("counter", "vllm:generation_tokens", "vllm:generation_tokens_total{model_name=\"llama\"}", (i, _) => (10_000 + (100 * i)).ToString(CultureInfo.InvariantCulture));
        Family("gauge", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",Hostname=\"node-a\",UUID=\"GPU-a0\"}", (_, at) => at > start.AddHours(3) ? "80" : "20");
        Family("gauge", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_USED{gpu=\"0\",Hostname=\"node-a\",UUID=\"GPU-a0\"}", (_, _) => "1024");
        Family("gauge", "nv_gpu_utilization", "nv_gpu_utilization{gpu_uuid=\"GPU-t1\"}", (_, _) => "0.35");
        text.Append("# EOF\n");
        return text.ToString();
    }
}
