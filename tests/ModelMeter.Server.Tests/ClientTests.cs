using System.Diagnostics;
using ModelMeter.Client;

namespace ModelMeter.Server.Tests;

/// <summary>The .NET client against the real server: batched, retried under one key, bounded, never blocking.</summary>
public sealed class ClientTests : IDisposable
{
    private readonly ServerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<decimal> Stored(ServerFactory server, string metric)
    {
        var usage = await (await server.As("admin").GetAsync($"/api/v1/usage?metric={metric}")).Read();
        return usage.GetProperty("totals").EnumerateArray().Sum(t => t.GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task RecordedEvents_AreSentInBatches_AndTheRestOnDispose()
    {
        using var server = _harness.Start();
        var meter = new UsageMeter(new UsageMeterOptions
        {
            Endpoint = server.Server.BaseAddress,
            ApiKey = _harness.Keys["nlp-writer"],
            Handler = server.Server.CreateHandler(),
            MaxBatchEvents = 1000,
            FlushInterval = TimeSpan.FromMinutes(10),
            Clock = _harness.Clock,
            Dimensions = new Dictionary<string, string> { ["model"] = "bert" },
        });
        for (var i = 0; i < 2500; i++)
        {
            meter.RecordPredictions(1);
        }

        meter.RecordTokens(120, 30);
        meter.RecordGpuSeconds(0.25m, new Dictionary<string, string> { ["model"] = "bert-large" });
        await meter.DisposeAsync();

        meter.Stats.ShouldBe(new UsageMeterStats(2503, 2503, 0, 0, 0, null));
        (await Stored(server, "predictions")).ShouldBe(2500m);
        (await Stored(server, "input_tokens")).ShouldBe(120m);
        (await Stored(server, "gpu_seconds")).ShouldBe(0.25m);
    }

    [Fact]
    public async Task ABatchWhoseAnswerWasLost_IsRetriedUnderItsKey_AndCountedOnce()
    {
        // The meter stamps events and waits between tries by the real clock here; the server's clock agrees.
        _harness.Clock.SetUtcNow(TimeProvider.System.GetUtcNow());
        using var server = _harness.Start();
        var flaky = new LoseAnswers(server.Server.CreateHandler(), lose: 2);
        var meter = new UsageMeter(new UsageMeterOptions
        {
            Endpoint = server.Server.BaseAddress,
            ApiKey = _harness.Keys["nlp-writer"],
            Handler = flaky,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxBatchEvents = 100,
        });
        for (var i = 0; i < 100; i++)
        {
            meter.Record("requests", 1);
        }

        await meter.FlushAsync();
        await meter.DisposeAsync();

        flaky.Keys.Distinct().Count().ShouldBe(1, "every try of a batch carries the batch's one key");
        flaky.Keys.Count.ShouldBe(3);
        meter.Stats.Sent.ShouldBe(100, meter.Stats.ToString());
        meter.Stats.Retries.ShouldBe(2);
        (await Stored(server, "requests")).ShouldBe(100m);
    }

    [Fact]
    public async Task ADownServer_NeverBlocksTheCaller_MemoryStaysBounded_AndDropsAreCounted()
    {
        var meter = new UsageMeter(new UsageMeterOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9/"),
            Handler = new Refuse(),
            MaxBatchEvents = 10,
            MaxBufferedEvents = 100,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            DisposeTimeout = TimeSpan.FromMilliseconds(500),
        });
        var watch = Stopwatch.StartNew();
        var kept = 0;
        for (var i = 0; i < 100_000; i++)
        {
            kept += meter.Record("predictions", 1) ? 1 : 0;
        }

        watch.Stop();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        kept.ShouldBeLessThanOrEqualTo(110);
        meter.Stats.Buffered.ShouldBeLessThanOrEqualTo(100);
        var disposing = Stopwatch.StartNew();
        await meter.DisposeAsync();
        disposing.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));

        var stats = meter.Stats;
        stats.Sent.ShouldBe(0);
        stats.Dropped.ShouldBe(100_000L, "the refused events and the ones never kept are all counted");
        stats.LastError.ShouldNotBeNull();
    }

    /// <summary>Forwards a request, then loses the answer, a number of times: the server has stored the batch, the client does not know.</summary>
    private sealed class LoseAnswers(HttpMessageHandler inner, int lose) : DelegatingHandler(inner)
    {
        private int _lost;

        public List<string> Keys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Keys)
            {
                Keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _lost) <= lose)
            {
                response.Dispose();
                throw new HttpRequestException("connection reset (the answer was lost)");
            }

            return response;
        }
    }

    private sealed class Refuse : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"));
    }
}
