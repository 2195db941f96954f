using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

/// <summary>A range for one input: the low and high ends and the value expected.</summary>
public sealed record InputRange(decimal Low, decimal Expected, decimal High)
{
    public void Validate(string name)
    {
        if (!(Low <= Expected && Expected <= High))
        {
            throw new UserInputException($"Input '{name}': a range needs low ≤ expected ≤ high (got {Fmt.Number(Low)}, {Fmt.Number(Expected)}, {Fmt.Number(High)}).");
        }
    }
}

/// <summary>Which end of its range each input took in the optimistic and pessimistic cases.</summary>
public sealed record ScenarioChoice(string Input, decimal Optimistic, decimal Pessimistic);

public sealed record ScenarioSet(Estimate Optimistic, Estimate Expected, Estimate Pessimistic, IReadOnlyList<ScenarioChoice> Choices);

/// <summary>
/// Runs a model as optimistic, expected and pessimistic. For each ranged input the model is evaluated at its low and
/// high ends (the others at their expected values); the end giving the lower headline cost goes to the optimistic case
/// and the other to the pessimistic one. So a higher MFU counts as optimistic without the model saying so, as long as
/// the headline moves one way across each range, which holds for every model here.
/// </summary>
public static class Scenarios
{
    public static ScenarioSet Run(IReadOnlyDictionary<string, InputRange> ranges, Func<IReadOnlyDictionary<string, decimal>, Estimate> model)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, range) in ranges)
        {
            range.Validate(name);
        }

        var expectedValues = ranges.ToDictionary(r => r.Key, r => r.Value.Expected, StringComparer.Ordinal);
        var choices = new List<ScenarioChoice>();
        foreach (var (name, range) in ranges.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var atLow = model(With(expectedValues, name, range.Low)).Headline.Amount;
            var atHigh = model(With(expectedValues, name, range.High)).Headline.Amount;
            choices.Add(atHigh < atLow
                ? new ScenarioChoice(name, range.High, range.Low)
                : new ScenarioChoice(name, range.Low, range.High));
        }

        var optimistic = model(choices.ToDictionary(c => c.Input, c => c.Optimistic, StringComparer.Ordinal));
        var expected = model(expectedValues);
        var pessimistic = model(choices.ToDictionary(c => c.Input, c => c.Pessimistic, StringComparer.Ordinal));
        return new ScenarioSet(optimistic, expected, pessimistic, choices);
    }

    private static Dictionary<string, decimal> With(Dictionary<string, decimal> values, string name, decimal value) =>
        new(values, StringComparer.Ordinal) { [name] = value };
}
