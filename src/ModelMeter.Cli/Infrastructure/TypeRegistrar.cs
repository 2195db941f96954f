using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace ModelMeter.Cli.Infrastructure;

/// <summary>
/// Spectre.Console.Cli's registrar over Microsoft.Extensions.DependencyInjection: the CLI's services (console, clock)
/// and the application's use cases (<see cref="Application.ServiceCollectionExtensions.AddModelMeter"/>) are
/// registered once; commands get them by constructor injection. The server registers the same use cases.
/// </summary>
internal sealed class TypeRegistrar(IServiceCollection services) : ITypeRegistrar
{
    public void Register(Type service, Type implementation) => services.AddSingleton(service, implementation);

    public void RegisterInstance(Type service, object implementation) => services.AddSingleton(service, implementation);

    public void RegisterLazy(Type service, Func<object> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(service, _ => factory());
    }

    public ITypeResolver Build() => new TypeResolver(services.BuildServiceProvider());

    private sealed class TypeResolver(ServiceProvider provider) : ITypeResolver, IDisposable
    {
        public object? Resolve(Type? type) => type is null ? null : provider.GetService(type);

        public void Dispose() => provider.Dispose();
    }
}
