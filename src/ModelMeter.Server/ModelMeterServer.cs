using ModelMeter.Server.Hosting;

namespace ModelMeter.Server;

/// <summary>
/// The ModelMeter server: the HTTP API, the usage-event endpoint, the dashboard and the metrics, over the same use
/// cases as the CLI. Settings come from configuration (section <c>ModelMeter</c>, see <see cref="ServerSettings"/>);
/// <c>modelmeter serve</c> passes its options as that section.
/// </summary>
public static class ModelMeterServer
{
    public static WebApplication Create(string[] args, IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ModelMeterServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddModelMeterServer();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseModelMeterServer();
        return app;
    }
}
