using System.Globalization;
using System.Text;
using ModelMeter.Application.Usage;

namespace ModelMeter.Server.Metrics;

/// <summary>The server's own metrics, counted as requests and writes happen, written in Prometheus text format.</summary>
public sealed class ServerMetrics
{
    /// <summary>Write latency buckets, in seconds.</summary>
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Lock _gate = new();
    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private readonly Dictionary<string, long> _refused = new(StringComparer.Ordinal);
    private long _eventsAccepted;
    private long _batchesAccepted;
    private long _batchesDuplicate;
    private long _writes;
    private long _writesFailed;
    private long _eventsWritten;
    private double _writeSeconds;

    public void RecordAccepted(long events, bool duplicate)
    {
        if (duplicate)
        {
            Interlocked.Increment(ref _batchesDuplicate);
            return;
        }

        Interlocked.Add(ref _eventsAccepted, events);
        Interlocked.Increment(ref _batchesAccepted);
    }

    public void RecordRefused(string reason)
    {
        lock (_gate)
        {
            _refused[reason] = _refused.GetValueOrDefault(reason) + 1;
        }
    }

    public void RecordWrite(UsageWrite write)
    {
        lock (_gate)
        {
            _writes++;
            if (write.Failed)
            {
                _writesFailed++;
            }

            _eventsWritten += write.Events;
            var seconds = write.Elapsed.TotalSeconds;
            _writeSeconds += seconds;
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    _bucketCounts[i]++;
                }
            }
        }
    }

    public void Write(StringBuilder text, UsageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(writer);
        lock (_gate)
        {
            Counter(text, "modelmeter_usage_events_accepted_total", "Usage events accepted (stored before the answer), retries under a stored Idempotency-Key not counted.", Interlocked.Read(ref _eventsAccepted));
            Counter(text, "modelmeter_usage_batches_accepted_total", "Usage batches accepted and stored.", Interlocked.Read(ref _batchesAccepted));
            Counter(text, "modelmeter_usage_batches_duplicate_total", "Usage batches sent again under a stored Idempotency-Key (answered, not stored again).", Interlocked.Read(ref _batchesDuplicate));
            text.Append("# HELP modelmeter_usage_batches_rejected_total Usage batches refused, by reason.\n# TYPE modelmeter_usage_batches_rejected_total counter\n");
            foreach (var reason in new[] { "invalid", "forbidden", "queue_full", "key_reused", "too_large" })
            {
                text.Append(CultureInfo.InvariantCulture, $"modelmeter_usage_batches_rejected_total{{reason=\"{reason}\"}} {_refused.GetValueOrDefault(reason)}\n");
            }

            Counter(text, "modelmeter_usage_events_written_total", "Usage events the writer stored.", _eventsWritten);
            Counter(text, "modelmeter_usage_writes_failed_total", "Write transactions the store refused.", _writesFailed);
            text.Append("# HELP modelmeter_usage_write_duration_seconds Time of one write transaction (many batches).\n# TYPE modelmeter_usage_write_duration_seconds histogram\n");
            for (var i = 0; i < Buckets.Length; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"modelmeter_usage_write_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {_bucketCounts[i]}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"modelmeter_usage_write_duration_seconds_bucket{{le=\"+Inf\"}} {_writes}\n");
            text.Append(CultureInfo.InvariantCulture, $"modelmeter_usage_write_duration_seconds_sum {_writeSeconds}\n");
            text.Append(CultureInfo.InvariantCulture, $"modelmeter_usage_write_duration_seconds_count {_writes}\n");
        }

        Gauge(text, "modelmeter_usage_queue_events", "Usage events waiting for the writer.", writer.QueuedEvents);
        Gauge(text, "modelmeter_usage_queue_capacity_events", "The most events the queue holds before answering 429.", writer.QueueCapacity);
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
