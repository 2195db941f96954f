using ModelMeter.Cli.Infrastructure;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;

namespace ModelMeter.Cli.Configuration;

/// <summary>Finds and reads <c>modelmeter.yaml</c>: <c>--config</c>, else the working directory's, else defaults.</summary>
public static class ConfigLoader
{
    public const string FileName = "modelmeter.yaml";

    public static ModelMeterConfig Load(CliContext context, string? explicitPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path;
        if (explicitPath is not null)
        {
            path = context.ResolvePath(explicitPath);
            if (!File.Exists(path))
            {
                throw new UserInputException($"Config file '{explicitPath}' does not exist.");
            }
        }
        else
        {
            path = Path.Combine(context.WorkingDirectory, FileName);
            if (!File.Exists(path))
            {
                return new ModelMeterConfig();
            }
        }

        return ConfigParser.Parse(File.ReadAllText(path), path);
    }

    /// <summary>The folder paths in a config are relative to: the config file's, else the working folder.</summary>
    public static string BaseDirectory(CliContext context, ModelMeterConfig config)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        return config.SourcePath is null ? context.WorkingDirectory : Path.GetDirectoryName(Path.GetFullPath(config.SourcePath))!;
    }

    /// <summary>The store file: <c>--store</c>, else the config's <c>store.path</c> (relative to the config file), else the default.</summary>
    public static string ResolveStorePath(CliContext context, ModelMeterConfig config, string? storeOption)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        if (storeOption is not null)
        {
            return context.ResolvePath(storeOption);
        }

        var baseDirectory = config.SourcePath is null ? context.WorkingDirectory : Path.GetDirectoryName(config.SourcePath)!;
        return Path.IsPathRooted(config.Store.Path) ? config.Store.Path : Path.GetFullPath(Path.Combine(baseDirectory, config.Store.Path));
    }
}
