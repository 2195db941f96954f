using Microsoft.Extensions.DependencyInjection;
using ModelMeter.Application.Attribution;
using ModelMeter.Application.Budgets;
using ModelMeter.Application.Configuration;
using ModelMeter.Application.Estimates;
using ModelMeter.Application.Demo;
using ModelMeter.Application.Hosting;
using ModelMeter.Application.Imports;
using ModelMeter.Application.Migration;
using ModelMeter.Application.Reporting;
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
        services.AddSingleton(environment);
        services.AddSingleton(environment.Clock);
        services.AddSingleton<ConfigLocator>();
        services.AddSingleton<ICostStoreFactory, CostStoreFactory>();
        services.AddSingleton<StoreProvider>();
        services.AddTransient<ReportUseCase>();
        services.AddTransient<AllocationUseCase>();
        services.AddTransient<TagsUseCase>();
        services.AddSingleton<PriceCatalogs>();
        services.AddTransient<EstimateUseCase>();
        services.AddTransient<CatalogUseCase>();
        services.AddTransient<CheckUseCase>();
        services.AddTransient<ImportFocusUseCase>();
        services.AddTransient<ImportUsageUseCase>();
        services.AddTransient<ImportRatesUseCase>();
        services.AddTransient<ImportsUseCase>();
        services.AddTransient<InitUseCase>();
        services.AddTransient<DemoUseCase>();
        services.AddTransient<MigrateUseCase>();
        return services;
    }
}
