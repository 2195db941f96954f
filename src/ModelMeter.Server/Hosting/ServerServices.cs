using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using ModelMeter.Application;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Stores;
using ModelMeter.Application.Usage;
using ModelMeter.Server.Apis;
using ModelMeter.Server.Auth;
using ModelMeter.Server.Metrics;
using Scalar.AspNetCore;

namespace ModelMeter.Server.Hosting;

/// <summary>The server's services and pipeline, as extension methods: Program.cs and <c>modelmeter serve</c> call them.</summary>
public static class ServerServices
{
    public static WebApplicationBuilder AddModelMeterServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ServerSettings>().BindConfiguration(ServerSettings.Section);
        services.AddSingleton(TimeProvider.System);
        // The folder and clock are read when the container is built, so tests' settings (applied late) count.
        services.AddModelMeter(sp => new ModelMeterEnvironment(
            sp.GetRequiredService<IOptions<ServerSettings>>().Value.WorkingDirectory ?? AppContext.BaseDirectory,
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ServerSettings>>().Value;
            return new UsageWriter(
                sp.GetRequiredService<StoreProvider>(),
                StoreOf(settings),
                new UsageWriterOptions { QueueCapacity = settings.QueueCapacity, MaxEventsPerWrite = settings.MaxEventsPerWrite });
        });
        services.AddHostedService<StoreHolder>();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();

        services.ConfigureHttpJsonOptions(options =>
        {
            // The OpenAPI schema names fields as the documents are written (ModelMeterJson): snake_case, enums as text.
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ModelMeter API";
            document.Info.Description = "Costs, allocation, tags, usage, estimates, budgets, forecasts and anomalies: the same use cases and JSON documents as the modelmeter CLI.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks();

        services.AddAuthentication(ApiKeyAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.WriteUsage, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthentication.CanWriteClaim, "true"))
            .AddPolicy(Policies.Organisation, p => p.RequireAuthenticatedUser().RequireAssertion(c => !c.User.HasClaim(x => x.Type == ApiKeyAuthentication.TeamClaim)));

        // The what-if page's kinds, as tabs in this order: one class and one partial view each.
        services.AddSingleton<Pages.IWhatIfKind, Pages.LlmWhatIfKind>();
        services.AddSingleton<Pages.IWhatIfKind, Pages.InstanceWhatIfKind>();
        services.AddSingleton<Pages.IWhatIfKind, Pages.FrequencyWhatIfKind>();
        services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/", Policies.Read).AllowAnonymousToPage("/Login"))
            .AddApplicationPart(typeof(ServerServices).Assembly);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 1024 * 1024);
        return builder;
    }

    public static WebApplication UseModelMeterServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The dashboard's files are inside the assembly: the CLI that hosts the server has no wwwroot of its own.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new ManifestEmbeddedFileProvider(typeof(ServerServices).Assembly, "wwwroot") });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api", options => options
            .WithTitle("ModelMeter API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()).AllowAnonymous();
        app.MapHealthApi();
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Read);
        api.MapCostsApi();
        api.MapImportsApi();
        api.MapEstimatesApi();
        api.MapUsageApi();
        api.MapBudgetsApi();
        api.MapMlApi();
        api.MapRecommendationsApi();
        app.MapMetricsApi();
        app.MapRazorPages();
        return app;
    }

    public static StoreOptions StoreOf(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new StoreOptions(settings.Store, settings.Config);
    }
}

/// <summary>Authorization policies of the API and the dashboard.</summary>
public static class Policies
{
    /// <summary>Any key: reads (a team key its team only, inside the use cases).</summary>
    public const string Read = "read";

    /// <summary>A writer or admin key: posts usage.</summary>
    public const string WriteUsage = "write-usage";

    /// <summary>A key of no one team (org-wide viewer or admin): what covers every team, such as /metrics.</summary>
    public const string Organisation = "organisation";
}
