namespace ModelMeter.Application.Hosting;

/// <summary>
/// Which config and store a request works on, as the user named them (<c>--config</c>, <c>--store</c>, or the API's
/// server-wide settings). Null means the default: <c>./modelmeter.yaml</c> when present, and its <c>store</c> section.
/// </summary>
public sealed record StoreOptions(string? Store = null, string? Config = null)
{
    public static readonly StoreOptions Default = new();
}
