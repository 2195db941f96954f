using ModelMeter.Application.Imports;

namespace ModelMeter.Application.Tests.Imports;

public sealed class InitUseCaseTests : IDisposable
{
    private readonly AppHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public void Run_WritesTheCommentedConfig_AndCreatesTheStoreItNames_ThenLeavesBothAlone()
    {
        var init = _app.Get<InitUseCase>();

        var first = init.Run(new InitRequest());
        File.AppendAllText(_app.Temp.File("modelmeter.yaml"), "# mine\n");
        var second = init.Run(new InitRequest());

        first.Config.ShouldBe(_app.Temp.File("modelmeter.yaml"));
        first.ConfigOutcome.ShouldBe(ConfigOutcome.Written);
        first.Store.ShouldBe(_app.StorePath);
        first.StoreCreated.ShouldBeTrue();
        File.Exists(_app.StorePath).ShouldBeTrue();
        second.ConfigOutcome.ShouldBe(ConfigOutcome.Kept);
        second.StoreCreated.ShouldBeFalse();
        File.ReadAllText(first.Config).ShouldBe(InitUseCase.Template + "# mine\n");
    }

    [Fact]
    public void Run_WithAConfigPath_CreatesTheStoreRelativeToThatConfig()
    {
        Directory.CreateDirectory(_app.Temp.File("team"));

        var result = _app.Get<InitUseCase>().Run(new InitRequest { Store = new Hosting.StoreOptions(Config: "team/modelmeter.yaml") });

        result.Config.ShouldBe(_app.Temp.File("team/modelmeter.yaml"));
        result.Store.ShouldBe(_app.Temp.File("team/.modelmeter/meter.duckdb"));
        File.Exists(result.Store).ShouldBeTrue();
    }
}
