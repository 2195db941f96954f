using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Stores;
using ModelMeter.Store;

namespace ModelMeter.Server.Tests;

/// <summary>POST /api/v1/usage: validated whole, counted once per Idempotency-Key, durable before the answer, bounded.</summary>
public sealed class UsageEndpointTests : IDisposable
{
    private readonly ServerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static StringContent Body(string text, string? key = null, string type = "application/json")
    {
        var content = new StringContent(text, Encoding.UTF8, type);
        if (key is not null)
        {
            content.Headers.Add("Idempotency-Key", key);
        }

        return content;
    }

    private static HttpRequestMessage Post(string text, string? key = null, string type = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/usage") { Content = new StringContent(text, Encoding.UTF8, type) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static string Event(string metric, decimal value, string extra = "", string at = "2026-10-10T08:00:00Z") =>
        $$"""{"timestamp":"{{at}}","metric":"{{metric}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{extra}}}""";

    private static async Task<decimal> Stored(HttpClient client, string metric, string by = "")
    {
        var usage = await (await client.GetAsync($"/api/v1/usage?metric={metric}&by={by}")).Read();
        return usage.GetProperty("totals").EnumerateArray().Sum(t => t.GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task AJsonArray_AndJsonLines_AreStored_InTheUsageSamplesAllocationReads()
    {
        using var server = _harness.Start();
        var client = server.As("admin");

        var array = await client.SendAsync(Post($"[{Event("predictions", 3, ",\"model\":\"bert\",\"team\":\"nlp\"")},{Event("predictions", 4, ",\"model\":\"bert\",\"team\":\"nlp\"")}]"));
        var lines = await client.SendAsync(Post(Event("gpu_seconds", 1.5m, ",\"team\":\"vision\"") + "\n" + Event("gpu_seconds", 2.25m, ",\"team\":\"vision\"", "2026-10-11T23:59:59+02:00") + "\n", type: "application/x-ndjson"));

        array.StatusCode.ShouldBe(HttpStatusCode.OK, await array.Content.ReadAsStringAsync());
        lines.StatusCode.ShouldBe(HttpStatusCode.OK, await lines.Content.ReadAsStringAsync());
        var receipt = await array.Read();
        receipt.GetProperty("events").GetInt64().ShouldBe(2);
        receipt.GetProperty("duplicate").GetBoolean().ShouldBeFalse();
        (await Stored(client, "predictions")).ShouldBe(7m);
        (await Stored(client, "gpu_seconds")).ShouldBe(3.75m);

        // The same samples `allocate` reads: the store's usage of those days.
        var usage = await (await client.GetAsync("/api/v1/usage?by=team&grain=day")).Read();
        usage.GetProperty("rows").EnumerateArray().Select(r => $"{r.GetProperty("period").GetString()} {r.GetProperty("metric").GetString()} {r.GetProperty("dimensions").GetProperty("team").GetString()} {r.GetProperty("value").GetDecimal()}")
            .ShouldBe(["2026-10-10 gpu_seconds vision 1.5", "2026-10-10 predictions nlp 7", "2026-10-11 gpu_seconds vision 2.25"]);
    }

    [Fact]
    public async Task ABatchWithBadEvents_IsRefusedWhole_NamingEachEventAndWhy()
    {
        using var server = _harness.Start();
        var client = server.As("admin");
        var batch = string.Join('\n',
            Event("predictions", 1),
            """{"timestamp":"2026-10-10T08:00:00","metric":"predictions","value":1}""",
            Event("predictions", -2),
            """{"timestamp":"2026-10-10T08:00:00Z","value":1}""",
            Event("predictions", 1, ",\"model\":7"),
            Event("predictions", 1, ",\"team\":\"nlp\",\"Team\":\"nlp\""),
            Event("predictions", 1, at: "2026-12-25T00:00:00Z"),
            "[1]");

        var response = await client.SendAsync(Post(batch, type: "application/x-ndjson"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Read();
        problem.GetProperty("problem_count").GetInt32().ShouldBe(7);
        problem.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("index").GetInt32()}: {p.GetProperty("reason").GetString()}").ShouldBe(
        [
            "1: timestamp '2026-10-10T08:00:00' is not ISO 8601 with Z or an offset, such as 2026-10-01T14:00:00Z",
            "2: value -2 is negative; usage cannot be negative",
            "3: missing metric; an event needs timestamp, metric and value",
            "4: field 'model' is a number; every field other than timestamp, metric and value is a dimension with a text value",
            "5: fields 'team' and 'Team' are the same dimension 'team' under the tag policy",
            "6: timestamp '2026-12-25T00:00:00Z' is more than a day in the future",
            "7: an event is a JSON object, not an array",
        ]);
        (await Stored(client, "predictions")).ShouldBe(0m);
    }

    [Fact]
    public async Task BrokenJson_TooManyEvents_AndTooLargeABody_AreRefused()
    {
        using var server = _harness.Start(new() { ["MaxBatchEvents"] = "2", ["MaxBatchBytes"] = "1000" });
        var client = server.As("admin");

        var broken = await (await client.SendAsync(Post("[" + Event("p", 1) + ",{\"metric\":"))).Read();
        broken.GetProperty("problems")[0].GetProperty("reason").GetString()!.ShouldStartWith("not valid JSON");
        var many = await client.SendAsync(Post($"[{Event("p", 1)},{Event("p", 1)},{Event("p", 1)}]"));
        many.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await many.Read()).GetProperty("problems")[0].GetProperty("reason").GetString().ShouldBe("the batch holds more than 2 events; send at most 2 per request");
        var large = await client.SendAsync(Post("[" + Event("p", 1, ",\"note\":\"" + new string('x', 2000) + "\"") + "]"));
        large.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await Stored(client, "p")).ShouldBe(0m);
    }

    [Fact]
    public async Task ARetriedBatch_WithTheSameIdempotencyKey_CountsOnce_EvenAfterARestart()
    {
        var batch = $"[{Event("predictions", 5, ",\"team\":\"nlp\"")}]";
        long batchId;
        using (var server = _harness.Start())
        {
            var client = server.As("nlp-writer");
            var first = await (await client.SendAsync(Post(batch, "retry-1"))).Read();
            var again = await client.SendAsync(Post(batch, "retry-1"));

            batchId = first.GetProperty("batch_id").GetInt64();
            again.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
            var replay = await again.Read();
            replay.GetProperty("duplicate").GetBoolean().ShouldBeTrue();
            replay.GetProperty("batch_id").GetInt64().ShouldBe(batchId);
            (await Stored(client, "predictions")).ShouldBe(5m);
        }

        // A new server process on the same store (stopped and started): the key is remembered there.
        using (var server = _harness.Start())
        {
            var client = server.As("nlp-writer");
            var replay = await (await client.SendAsync(Post(batch, "retry-1"))).Read();

            replay.GetProperty("duplicate").GetBoolean().ShouldBeTrue();
            replay.GetProperty("batch_id").GetInt64().ShouldBe(batchId);
            (await Stored(client, "predictions")).ShouldBe(5m);

            var reused = await client.SendAsync(Post($"[{Event("predictions", 6, ",\"team\":\"nlp\"")}]", "retry-1"));
            reused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
            (await reused.Read()).GetProperty("detail").GetString()!.ShouldStartWith("Idempotency-Key 'retry-1' was used for another batch");
            (await Stored(client, "predictions")).ShouldBe(5m);
        }
    }

    [Fact]
    public async Task AcceptedEvents_AreInTheStoreFile_AfterTheServerStops()
    {
        using (var server = _harness.Start())
        {
            var response = await server.As("admin").SendAsync(Post(string.Join('\n', Enumerable.Range(0, 1000).Select(i => Event("requests", 1, $",\"model\":\"m{i % 7}\""))), "k"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Read by the store itself, with no server: the durable truth.
        using var store = ModelMeter.Store.DuckDb.DuckDbCostStore.Open(_harness.StorePath, _harness.Clock);
        store.QueryUsage(null, null).Where(s => s.Metric == "requests").Sum(s => s.Value).ShouldBe(1000m);
        store.UsageBatchTotals().ShouldBe(new UsageBatchTotals(1, 1000));
        store.FindUsageBatch("k")!.Events.ShouldBe(1000);
    }

    [Fact]
    public async Task AFloodedWriter_Answers429WithRetryAfter_AndNeverQueuesPastItsBound()
    {
        var gate = new ManualResetEventSlim(false);
        using var server = _harness.Start(new() { ["QueueCapacity"] = "10" }, services => services.AddSingleton<ICostStoreFactory>(sp =>
            new GatedStoreFactory(ActivatorUtilities.CreateInstance<CostStoreFactory>(sp), gate)));
        var client = server.As("admin");

        // 8 events wait for the blocked writer; 5 more would pass the bound of 10.
        var waiting = client.SendAsync(Post(string.Join('\n', Enumerable.Repeat(Event("p", 1), 8))));
        await WaitUntil(async () => (await client.GetStringAsync("/metrics")).Contains("modelmeter_usage_queue_events 8", StringComparison.Ordinal));
        var refused = await client.SendAsync(Post(string.Join('\n', Enumerable.Repeat(Event("p", 1), 5))));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        (await refused.Read()).GetProperty("detail").GetString()!.ShouldContain("retry in");
        waiting.IsCompleted.ShouldBeFalse("a batch is answered only once it is stored");

        gate.Set();
        (await waiting).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Stored(client, "p")).ShouldBe(8m);
        (await client.GetStringAsync("/metrics")).ShouldContain("modelmeter_usage_batches_rejected_total{reason=\"queue_full\"} 1");
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the condition did not hold within 5 s");
    }
}
