using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Access;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Configuration;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Migration;
using ModelMeter.Application.Reporting;
using ModelMeter.Application.Runs;
using ModelMeter.Application.Usage;
using ModelMeter.Application.Stores;

namespace ModelMeter.Application;

/// <summary>Registers every use case once, for every host (the CLI now, the server later).</summary>
public static class ServiceCollectionExtensions
{
    /// <param name="services">The host's container.</param>
    /// <param name="environment">The host's working folder and clock.</param>
    public static IServiceCollection AddModelMeter(this IServiceCollection services, ModelMeterEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddSingleton(environment.Clock);
        return services.AddModelMeter(_ => environment);
    }

    /// <summary>
    /// For a host whose folder and clock are known only once its container is built (a web host, whose settings tests
    /// override): <paramref name="environment"/> makes them then. The host registers its <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddModelMeter(this IServiceCollection services, Func<IServiceProvider, ModelMeterEnvironment> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(environment);
        services.AddSingleton(environment);
        services.AddSingleton<ConfigLocator>();
        services.AddSingleton<ICostStoreFactory, CostStoreFactory>();
        services.AddSingleton<StoreProvider>();
        services.AddTransient<ReportUseCase>();
        services.AddTransient<TcoUseCase>();
        services.AddTransient<WhatIf.WhatIfLlmUseCase>();
        services.AddTransient<WhatIf.WhatIfInstanceUseCase>();
        services.AddTransient<WhatIf.WhatIfFrequencyUseCase>();
        services.AddTransient<AllocationUseCase>();
        services.AddTransient<TagsUseCase>();
        services.AddSingleton<PriceCatalogs>();
        services.AddTransient<EstimateUseCase>();
        services.AddTransient<CatalogUseCase>();
        services.AddTransient<CheckUseCase>();
        services.AddTransient<BudgetsUseCase>();
        services.AddTransient<Forecasting.ForecastUseCase>();
        services.AddTransient<Anomalies.AnomaliesUseCase>();
        services.AddTransient<Recommendations.RecommendUseCase>();
        services.AddTransient<Recommendations.ExecuteActionsUseCase>();
        services.AddTransient<Recommendations.RecommendationHistoryUseCase>();
        services.AddTransient<Alerts.AlertUseCase>();
        services.AddTransient<ImportFocusUseCase>();
        services.AddTransient<ImportAwsCurUseCase>();
        services.AddTransient<ImportCostsUseCase>();
        services.AddTransient<ImportGcpBillingUseCase>();
        services.AddTransient<ImportAzureCostUseCase>();
        services.AddTransient<ImportUsageUseCase>();
        services.AddTransient<ImportRatesUseCase>();
        services.AddTransient<ImportsUseCase>();
        services.AddTransient<InitUseCase>();
        services.AddTransient<DemoUseCase>();
        services.AddTransient<MigrateUseCase>();
        services.AddTransient<UsageQueryUseCase>();
        services.AddTransient<RecordUsageUseCase>();
        services.AddTransient<KeysUseCase>();

        // The ML sources (issue 16): MLflow runs, Prometheus and nvidia-smi, LLM calls, business metrics, unit economics, KPIs.
        services.AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
        services.AddTransient<ImportMlflowUseCase>();
        services.AddTransient<RunsUseCase>();
        services.AddTransient<ImportPrometheusUseCase>();
        services.AddTransient<ImportNvidiaSmiUseCase>();
        services.AddTransient<ImportLlmUsageUseCase>();
        services.AddTransient<ImportMetricsUseCase>();
        services.AddTransient<Unit.UnitUseCase>();
        services.AddTransient<Kpis.KpiUseCase>();
        return services;
    }
}
