using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application;
using ModelMeter.Application.Access;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Server.Hosting;
using ModelMeter.Tests.Support;

namespace ModelMeter.Server.Tests;

/// <summary>
/// A working folder with a small October 2026 bill (nlp 10, vision 20, untagged 5 USD) imported through the
/// application, budgets over it (org 100 USD, inside it nlp 20 and vision 15: vision is over), and API keys of every kind; <see cref="Start"/> runs the server on it with WebApplicationFactory.
/// </summary>
public sealed class ServerHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 10, 20, 12, 0, 0, TimeSpan.Zero);

    public const string Config = """
        store:
          path: .modelmeter/meter.duckdb
        budgets:
          - name: org
            scope: []
            amount: 100
          - name: nlp
            parent: org
            scope: ["tag:team=nlp"]
            amount: 20
          - name: vision
            parent: org
            scope: ["tag:team=vision"]
            amount: 15

        """;

    public ServerHarness()
    {
        File.WriteAllText(Temp.File("modelmeter.yaml"), Config);
        using var services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(Temp.Path, Clock)).BuildServiceProvider();
        var csv = new FocusCsv()
            .Row(("ChargePeriodStart", "2026-10-05T00:00:00Z"), ("ChargePeriodEnd", "2026-10-05T01:00:00Z"), ("BilledCost", "10"), ("EffectiveCost", "10"), ("ListCost", "10"), ("ContractedCost", "10"), ("ResourceId", "i-nlp"), ("Tags", """{"team":"nlp","model":"bert","environment":"prod"}"""))
            .Row(("ChargePeriodStart", "2026-10-06T00:00:00Z"), ("ChargePeriodEnd", "2026-10-06T01:00:00Z"), ("BilledCost", "20"), ("EffectiveCost", "20"), ("ListCost", "20"), ("ContractedCost", "20"), ("ResourceId", "i-vision"), ("Tags", """{"team":"vision","model":"yolo","environment":"prod"}"""))
            .Row(("ChargePeriodStart", "2026-10-07T00:00:00Z"), ("ChargePeriodEnd", "2026-10-07T01:00:00Z"), ("BilledCost", "5"), ("EffectiveCost", "5"), ("ListCost", "5"), ("ContractedCost", "5"), ("ResourceId", "i-untagged"), ("Tags", ""));
        csv.WriteTo(Temp.File("focus.csv"));
        services.GetRequiredService<ImportFocusUseCase>().Run(new ImportFocusRequest { Paths = ["focus.csv"] });
        var keys = services.GetRequiredService<KeysUseCase>();
        foreach (var (name, team, role) in new (string, string?, string)[]
                 {
                     ("admin", null, "admin"), ("org-viewer", null, "viewer"), ("nlp-viewer", "nlp", "viewer"),
                     ("nlp-writer", "nlp", "writer"), ("vision-writer", "vision", "writer"), ("revoked", null, "admin"),
                 })
        {
            var created = keys.Create(new KeysRequest(), team, role, name);
            Keys[name] = created.Key;
            if (name == "revoked")
            {
                keys.Revoke(new KeysRequest(), created.Record.Id);
            }
        }
    }

    internal TempDirectory Temp { get; } = new();

    public FakeTimeProvider Clock { get; } = new(Now);

    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public string StorePath => Path.Combine(Temp.Path, ".modelmeter", "meter.duckdb");

    public ServerFactory Start(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) => new(this, settings ?? [], services);

    public void Dispose() => Temp.Dispose();
}

public sealed class ServerFactory(ServerHarness harness, Dictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<ServerSettings>
{
    public HttpClient As(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.Keys[key]);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ModelMeter:WorkingDirectory", harness.Temp.Path);
        foreach (var (name, value) in settings)
        {
            builder.UseSetting("ModelMeter:" + name, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(harness.Clock);
            services?.Invoke(s);
        });
    }
}

internal static class Json
{
    public static async Task<JsonElement> Read(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static decimal Total(this JsonElement report, string currency = "USD") =>
        report.GetProperty("totals").TryGetProperty(currency, out var total) ? total.GetDecimal() : 0m;

    public static IEnumerable<string> Values(this JsonElement report, string dimension) =>
        report.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty(dimension).GetString()!);
}
