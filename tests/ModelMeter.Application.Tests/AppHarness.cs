using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application.Hosting;
using ModelMeter.Tests.Support;

namespace ModelMeter.Application.Tests;

/// <summary>
/// The application as a host builds it (<see cref="ServiceCollectionExtensions.AddModelMeter"/>) over a temporary
/// working folder and a fake clock: use cases are called directly, with no CLI in between.
/// </summary>
internal sealed class AppHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    /// <param name="configure">Replaces registrations after the host's own (a decorated store factory, say).</param>
    public AppHarness(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(Temp.Path, Clock));
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public TempDirectory Temp { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>The default store: <c>.modelmeter/meter.duckdb</c> in the working folder.</summary>
    public string StorePath => Path.Combine(Temp.Path, ".modelmeter", "meter.duckdb");

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Writes a FOCUS file into the working folder and returns its name.</summary>
    public string Write(FocusCsv csv, string name)
    {
        csv.WriteTo(Temp.File(name));
        return name;
    }

    public string WriteText(string text, string name, bool bom = false)
    {
        File.WriteAllText(Temp.File(name), text, new UTF8Encoding(bom));
        return name;
    }

    public void Dispose()
    {
        _services.Dispose();
        Temp.Dispose();
    }
}
