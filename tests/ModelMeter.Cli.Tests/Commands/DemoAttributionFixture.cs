namespace ModelMeter.Cli.Tests.Commands;

/// <summary>
/// Runs <c>modelmeter demo --month 2026-10</c> once into a temporary folder; the attribution tests then read that
/// store (one at a time: DuckDB allows one writer, and xunit runs a class's tests sequentially).
/// </summary>
public sealed class DemoAttributionFixture : IAsyncLifetime, IDisposable
{
    public const string DemoConfig = ".modelmeter/demo/modelmeter.yaml";

    public CliRunner Cli { get; } = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    public CliOutput Demo { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync() => Demo = await Cli.RunAsync("demo", "--month", "2026-10");

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Cli.Dispose();
}
