using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelMeter.Application;
using ModelMeter.Application.Access;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Server;
using ModelMeter.Server.Auth;
using ModelMeter.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ModelMeter.Dashboard.Tests;

/// <summary>
/// The demo month (October 2026) imported into a temporary folder, served by Kestrel on 127.0.0.1 (a free port) as
/// `modelmeter serve --config .modelmeter/demo/modelmeter.yaml` serves it (the browser signed in with an admin key), and one headless Chromium.
/// A missing browser fails every test: ./test.sh installs Debian's chromium and chromium-driver.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Month = "2026-10";
    public const string Chromium = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    private readonly TempDirectory _temp = new();
    private WebApplication? _app;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 12, 9, 0, 0, TimeSpan.Zero));

    public string Url { get; private set; } = "";

    public ServiceProvider Services { get; private set; } = null!;

    public ChromeDriver Browser { get; private set; } = null!;

    public string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public StoreOptions Store => new(Config: ".modelmeter/demo/modelmeter.yaml");

    public async Task InitializeAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: ./test.sh installs it (apt-get install -y chromium chromium-driver).");
        File.Exists(Driver).ShouldBeTrue($"{Driver} is missing: ./test.sh installs it (apt-get install -y chromium-driver).");
        Services = new ServiceCollection().AddModelMeter(new ModelMeterEnvironment(_temp.Path, Clock)).BuildServiceProvider();
        Services.GetRequiredService<DemoUseCase>().Run(new DemoRequest { Month = Month });

        // Served with keys, as `modelmeter serve` is: the browser signs in with an admin key; a test may switch to a team's.
        var keys = Services.GetRequiredService<KeysUseCase>();
        AdminKey = keys.Create(new KeysRequest { Store = Store }, null, "admin", "dashboard-tests").Key;
        SearchKey = keys.Create(new KeysRequest { Store = Store }, "search", "viewer", "search-lead").Key;

        _app = ModelMeterServer.Create(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["ModelMeter:WorkingDirectory"] = _temp.Path,
            ["ModelMeter:Config"] = Store.Config,
        }, builder => builder.Services.AddSingleton<TimeProvider>(Clock));
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-extensions", "--no-first-run", "--window-size=1280,1400");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(Screenshots);
        SignIn(AdminKey);
    }

    public string AdminKey { get; private set; } = "";

    /// <summary>A viewer key of team search.</summary>
    public string SearchKey { get; private set; } = "";

    /// <summary>The key the browser presents from now on (the cookie the login page sets).</summary>
    public void SignIn(string key)
    {
        Browser.Navigate().GoToUrl(Url + "/login");
        Browser.Manage().Cookies.DeleteCookieNamed(ApiKeyAuthentication.Cookie);
        Browser.Manage().Cookies.AddCookie(new Cookie(ApiKeyAuthentication.Cookie, key));
    }

    /// <summary>Runs <paramref name="look"/> signed in with a team's key, then signs the admin back in.</summary>
    public void AsTeam(string key, Action look)
    {
        ArgumentNullException.ThrowIfNull(look);
        SignIn(key);
        try
        {
            look();
        }
        finally
        {
            SignIn(AdminKey);
        }
    }

    public async Task DisposeAsync()
    {
        Browser?.Quit();
        Browser?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Services.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>Opens a page and returns the console errors it logged (failed requests included).</summary>
    public IReadOnlyList<string> Open(string path)
    {
        Browser.Manage().Logs.GetLog(LogType.Browser); // drop what earlier pages logged
        Browser.Navigate().GoToUrl(Url + path);
        return ConsoleErrors();
    }

    public IReadOnlyList<string> ConsoleErrors() =>
        Browser.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();

    public void Screenshot(string name) => Browser.GetScreenshot().SaveAsFile(Path.Combine(Screenshots, name + ".png"));

    public static string Money(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture) + " USD";
}

[CollectionDefinition(Name)]
public sealed class DashboardGroup : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
