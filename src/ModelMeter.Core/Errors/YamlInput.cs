using YamlDotNet.Core;

namespace ModelMeter.Core.Errors;

/// <summary>
/// How every YAML input (modelmeter.yaml, the price catalogue, estimate specs, MLflow's meta.yaml) turns YamlDotNet's
/// failures into a <see cref="UserInputException"/> naming the file, the line and the column. YamlDotNet reports most
/// bad YAML as a <see cref="YamlException"/> with a position, but a flow collection cut short (<c>tags: [</c> at the end
/// of a file, found by the import fuzz tests) ends in an <see cref="InvalidOperationException"/> from its scanner, which
/// would otherwise reach the user as an internal error.
/// </summary>
public static class YamlInput
{
    private const string CutShort = "not valid YAML: a '[' or '{' is not closed, or a value is cut short, before the end of the file.";

    private static bool FromYamlDotNet(Exception e) => e.Source == typeof(YamlException).Assembly.GetName().Name;

    public static T Parse<T>(string sourceName, Func<T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (YamlException e)
        {
            // The deserializer wraps the scanner's failure in a YamlException that has the position.
            var reason = e.InnerException is InvalidOperationException inner && FromYamlDotNet(inner) ? CutShort : e.InnerException?.Message ?? e.Message;
            throw new UserInputException($"{sourceName}: line {e.Start.Line}, column {e.Start.Column}: {reason}", e);
        }
        catch (InvalidOperationException e) when (FromYamlDotNet(e))
        {
            throw new UserInputException($"{sourceName}: {CutShort}", e);
        }
    }
}
