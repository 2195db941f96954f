using ModelMeter.Core.Errors;
using ModelMeter.Import.Prometheus;

namespace ModelMeter.Import.Tests.Prometheus;

public sealed class NvidiaSmiCsvTests
{
    private const string Csv = """
        timestamp, index, uuid, name, utilization.gpu [%], memory.used [MiB], memory.total [MiB]
        2026/10/05 14:00:00.123, 0, GPU-0aa, NVIDIA A10G, 35 %, 10240 MiB, 23028 MiB
        2026/10/05 14:00:00.125, 1, GPU-1bb, NVIDIA A10G, [N/A], 512 MiB, 23028 MiB

        """;

    [Fact]
    public void Parse_ReadsUtilisationAsPercentAndMemoryAsBytes_PerGpu_SkippingNotAvailable()
    {
        var samples = NvidiaSmiCsv.Parse(Csv, "gpu.csv", "i-0abc", TimeSpan.FromHours(2));

        samples.Select(s => $"{s.Start:yyyy-MM-ddTHH:mm:ss.fff} {s.Metric} {s.Value} gpu={s.Dimension("gpu")} {s.Dimension("gpu_uuid")} {s.Dimension("gpu_model")} {s.Dimension("resource_id")}")
            .ShouldBe(
            [
                "2026-10-05T12:00:00.123 gpu_utilization_percent 35 gpu=0 GPU-0aa NVIDIA A10G i-0abc",
                "2026-10-05T12:00:00.123 gpu_memory_used_bytes 10737418240 gpu=0 GPU-0aa NVIDIA A10G i-0abc",
                "2026-10-05T12:00:00.125 gpu_memory_used_bytes 536870912 gpu=1 GPU-1bb NVIDIA A10G i-0abc",
            ]);
        samples[0].Period.ShouldBe(new DateOnly(2026, 10, 5));
    }

    [Fact]
    public void Parse_NoUnitsOutput_IsReadToo()
    {
        var samples = NvidiaSmiCsv.Parse("timestamp, utilization.gpu, memory.used\n2026/10/05 14:00:00.000, 12, 100\n", "gpu.csv", null, TimeSpan.Zero);

        samples.Select(s => (s.Metric, s.Value)).ShouldBe([("gpu_utilization_percent", 12m), ("gpu_memory_used_bytes", 104857600m)]);
    }

    [Fact]
    public void Parse_ABadValue_NamesLineColumnAndField()
    {
        var error = Should.Throw<UserInputException>(() =>
            NvidiaSmiCsv.Parse("timestamp, utilization.gpu [%]\n2026/10/05 14:00:00.000, lots %\n", "gpu.csv", null, TimeSpan.Zero));

        error.Message.ShouldBe("gpu.csv: line 2, column 2 (utilization.gpu [%]): 'lots %' is not a number of %.");
        Should.Throw<UserInputException>(() => NvidiaSmiCsv.Parse("index, utilization.gpu\n0, 1\n", "gpu.csv", null, TimeSpan.Zero))
            .Message.ShouldContain("no timestamp column");
    }
}
