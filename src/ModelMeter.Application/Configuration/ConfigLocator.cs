using ModelMeter.Application.Hosting;
using ModelMeter.Core.Configuration;
using ModelMeter.Core.Errors;

namespace ModelMeter.Application.Configuration;

/// <summary>Finds and reads <c>modelmeter.yaml</c>: the one named, else the working folder's, else the defaults.</summary>
public sealed class ConfigLocator(ModelMeterEnvironment environment)
{
    public const string FileName = "modelmeter.yaml";

    /// <summary>The config a request names (<see cref="StoreOptions.Config"/>), else <c>./modelmeter.yaml</c> when present, else defaults.</summary>
    public ModelMeterConfig Load(string? explicitPath)
    {
        string path;
        if (explicitPath is not null)
        {
            path = environment.ResolvePath(explicitPath);
            if (!File.Exists(path))
            {
                throw new UserInputException($"Config file '{explicitPath}' does not exist.");
            }
        }
        else
        {
            path = Path.Combine(environment.WorkingDirectory, FileName);
            if (!File.Exists(path))
            {
                return new ModelMeterConfig();
            }
        }

        return ConfigParser.Parse(ReadText(path, explicitPath ?? FileName), path);
    }

    /// <summary>Whether a request would read a config file (named, or <c>./modelmeter.yaml</c>) rather than the defaults.</summary>
    public bool HasConfig(string? explicitPath) =>
        explicitPath is not null || File.Exists(Path.Combine(environment.WorkingDirectory, FileName));

    /// <summary>The folder relative paths in a config are resolved against: the config file's, else the working folder.</summary>
    public string BaseDirectory(ModelMeterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.SourcePath is null ? environment.WorkingDirectory : Path.GetDirectoryName(Path.GetFullPath(config.SourcePath))!;
    }

    /// <summary>A path written in the config (say <c>tags.inherit.resources_file</c>), made absolute against the config's folder.</summary>
    public string ResolveConfigPath(ModelMeterConfig config, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory(config), path));

    /// <summary>Reads a text file a user named, refusing what is not there with the name as they wrote it.</summary>
    public static string ReadText(string path, string shownAs)
    {
        if (!File.Exists(path) && Import.Files.FileKinds.Of(path) == Import.Files.FileKind.Missing)
        {
            throw new UserInputException($"'{shownAs}' does not exist.");
        }

        // A regular file only (a FIFO given as --config would block forever), as strict UTF-8.
        return Import.Files.UserFiles.ReadText(path, $"'{shownAs}'");
    }
}
