using System.Buffers;
using System.Security.Cryptography;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Core.Allocation;
using ModelMeter.Core.Errors;
using ModelMeter.Store;

namespace ModelMeter.Application.Usage;

/// <summary>A batch of usage events as posted: the body, the sender's idempotency key, who sent it.</summary>
public sealed record RecordUsageRequest
{
    public StoreOptions Store { get; init; } = StoreOptions.Default;

    /// <summary>Who sends: a team's key writes its own team's usage only.</summary>
    public AccessScope Access { get; init; } = AccessScope.Everything;

    /// <summary>A JSON array of events, or JSON lines (one event per line), UTF-8.</summary>
    public ReadOnlySequence<byte> Body { get; init; }

    /// <summary>The <c>Idempotency-Key</c> header: a retried batch with the same key is counted once, across restarts.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The most events one batch may hold.</summary>
    public int MaxEvents { get; init; } = 100_000;
}

/// <summary>
/// Records a batch of usage events (<c>POST /api/v1/usage</c>) into the usage samples allocation and unit costs read.
/// Every event is checked first and a batch with a bad event is refused whole, naming each bad event's index and what
/// is wrong. Accepted events go to the one <see cref="UsageWriter"/>; the result comes back once they are durable.
/// </summary>
public sealed class RecordUsageUseCase(StoreProvider stores, ModelMeterEnvironment environment, UsageWriter writer)
{
    public const int MaxIdempotencyKeyLength = 200;

    public async Task<UsageBatchResult> RunAsync(RecordUsageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IdempotencyKey is { } key && (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(c => c is < '!' or > '~')))
        {
            throw new UserInputException($"Idempotency-Key '{key}' must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces (a UUID is a good key).");
        }

        var config = stores.LoadConfig(request.Store);
        var policy = AttributionSetup.From(config, stores.Configs.BaseDirectory(config)).Policy;
        var batch = new UsageEventReader(policy, request.Access.Team, environment.Clock.GetUtcNow()).Read(request.Body, request.MaxEvents);
        if (batch.Refused)
        {
            throw new UsageBatchRefusedException(batch);
        }

        var sha = Sha256(request.Body);
        cancellationToken.ThrowIfCancellationRequested();
        var receipt = await writer.SubmitAsync(new UsageBatch(request.IdempotencyKey, sha, request.Access.Team, batch.Events, batch.Samples)).ConfigureAwait(false);
        if (receipt.Duplicate && receipt.BodySha256 != sha)
        {
            throw new IdempotencyKeyReusedException(
                $"Idempotency-Key '{request.IdempotencyKey}' was used for another batch (batch #{receipt.BatchId}, {receipt.Events:N0} events, {receipt.ReceivedAt:yyyy-MM-dd HH:mm:ss}Z); nothing was stored. Use a new key for a new batch.");
        }

        return UsageBatchResult.Of(receipt, batch);
    }

    private static string Sha256(ReadOnlySequence<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in body)
        {
            hash.AppendData(segment.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>
/// <c>POST /api/v1/usage</c>: what was stored. A retry of a stored batch (same <c>Idempotency-Key</c>) gets the first
/// batch's id and time with <see cref="Duplicate"/> true, and nothing is stored again.
/// </summary>
/// <param name="Metrics">The batch's events per metric and their summed value.</param>
public sealed record UsageBatchResult(long BatchId, string? IdempotencyKey, long Events, bool Duplicate, DateTime ReceivedAt, IReadOnlyList<UsageMetricTotal> Metrics)
{
    public static UsageBatchResult Of(UsageBatchReceipt receipt, UsageEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(batch);
        return new UsageBatchResult(
            receipt.BatchId,
            receipt.IdempotencyKey,
            receipt.Events,
            receipt.Duplicate,
            receipt.ReceivedAt,
            batch.Samples.GroupBy(s => s.Metric, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new UsageMetricTotal(g.Key, g.Sum(s => s.Value))).ToList());
    }
}

public sealed record UsageMetricTotal(string Metric, decimal Value);

/// <summary>A batch with bad events, refused whole (HTTP 400; 403 when an event is another team's).</summary>
public sealed class UsageBatchRefusedException : UserInputException
{
    public UsageBatchRefusedException(UsageEventBatch batch)
        : base(Describe(batch))
    {
        ArgumentNullException.ThrowIfNull(batch);
        Problems = batch.Problems;
        ProblemCount = batch.ProblemCount;
        // 403 only when every problem is another team's usage; a malformed event makes it the caller's mistake (400).
        Forbidden = batch.Problems.Count > 0 && batch.Problems.All(p => p.Forbidden);
    }

    public UsageBatchRefusedException()
    {
    }

    public UsageBatchRefusedException(string message)
        : base(message)
    {
    }

    public UsageBatchRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IReadOnlyList<UsageEventProblem> Problems { get; } = [];

    public int ProblemCount { get; }

    /// <summary>Every refused event is well formed but another team's (HTTP 403 rather than 400).</summary>
    public bool Forbidden { get; }

    private static string Describe(UsageEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var first = batch.Problems.Count > 0 ? $" First: event {batch.Problems[0].Index}: {batch.Problems[0].Reason}." : "";
        return $"{batch.ProblemCount:N0} problem(s) in the batch; nothing was stored. Fix the events and send the batch again.{first}";
    }
}

/// <summary>An idempotency key sent again with a different batch (HTTP 422).</summary>
public sealed class IdempotencyKeyReusedException : UserInputException
{
    public IdempotencyKeyReusedException()
    {
    }

    public IdempotencyKeyReusedException(string message)
        : base(message)
    {
    }

    public IdempotencyKeyReusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
