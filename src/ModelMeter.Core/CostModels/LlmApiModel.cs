using ModelMeter.Core.Errors;

namespace ModelMeter.Core.CostModels;

internal sealed record LlmApiInput
{
    public required string ModelName { get; init; }

    public required decimal InputPerMillion { get; init; }

    /// <summary>Cache-read price per million tokens; when null, cached tokens bill at the input price.</summary>
    public decimal? CachedInputPerMillion { get; init; }

    public required decimal OutputPerMillion { get; init; }

    public required decimal RequestsPerDay { get; init; }

    /// <summary>Uncached input tokens per request.</summary>
    public required decimal InputTokens { get; init; }

    /// <summary>Input tokens per request served from the provider's prompt cache (billed at the cached price).</summary>
    public decimal CachedInputTokens { get; init; }

    public required decimal OutputTokens { get; init; }

    public decimal DaysPerMonth { get; init; } = 30m;

    /// <summary>Month-on-month growth of request volume (0.1 = +10% a month).</summary>
    public decimal MonthlyGrowth { get; init; }

    /// <summary>The horizon over which growth compounds.</summary>
    public int Months { get; init; } = 12;
}

/// <summary>An LLM API feature: tokens × prices per request, per day, per month, and over a horizon with growth.</summary>
internal static class LlmApiModel
{
    public const string Kind = "llm";

    public static Estimate Calculate(LlmApiInput input, string currency, string title = "LLM API feature")
    {
        ArgumentNullException.ThrowIfNull(input);
        Validate(input);
        var w = new Working(currency);
        var cachedPrice = input.CachedInputPerMillion ?? input.InputPerMillion;
        w.Input("model", input.ModelName);
        w.Input("input price", input.InputPerMillion, currency + " per 1M tokens");
        w.Input("cached input price", cachedPrice, currency + " per 1M tokens", input.CachedInputPerMillion is null ? "no cache price listed: input price used" : "spec or catalogue");
        w.Input("output price", input.OutputPerMillion, currency + " per 1M tokens");
        w.Input("requests per day", input.RequestsPerDay, "requests");
        w.Input("input tokens per request (uncached)", input.InputTokens, "tokens");
        w.Input("cached input tokens per request", input.CachedInputTokens, "tokens");
        w.Input("output tokens per request", input.OutputTokens, "tokens");
        w.Input("days per month", input.DaysPerMonth, "days");
        w.Input("monthly growth", input.MonthlyGrowth, "fraction");
        w.Input("horizon", input.Months, "months");

        var inputCost = w.Step("input cost per request", $"{Fmt.Number(input.InputTokens)} × {Fmt.Number(input.InputPerMillion)} ÷ 1e6", input.InputTokens * input.InputPerMillion / 1_000_000m, currency);
        var cachedCost = w.Step("cached input cost per request", $"{Fmt.Number(input.CachedInputTokens)} × {Fmt.Number(cachedPrice)} ÷ 1e6", input.CachedInputTokens * cachedPrice / 1_000_000m, currency);
        var outputCost = w.Step("output cost per request", $"{Fmt.Number(input.OutputTokens)} × {Fmt.Number(input.OutputPerMillion)} ÷ 1e6", input.OutputTokens * input.OutputPerMillion / 1_000_000m, currency);
        var perRequest = w.Step("cost per request", "input + cached input + output", inputCost + cachedCost + outputCost, currency);
        var daily = w.Step("daily cost", $"requests per day × cost per request = {Fmt.Number(input.RequestsPerDay)} × {Fmt.Number(perRequest)}", input.RequestsPerDay * perRequest, currency);
        var monthly = w.Step("monthly cost (month 1)", $"daily × {Fmt.Number(input.DaysPerMonth)} days", daily * input.DaysPerMonth, currency);

        // Month k costs monthly × (1 + g)^(k−1); summed exactly in decimal rather than by the closed form, which divides by g.
        decimal factor = 1, horizon = 0, last = monthly;
        for (var month = 1; month <= input.Months; month++)
        {
            last = monthly * factor;
            horizon += last;
            factor *= 1 + input.MonthlyGrowth;
        }

        w.Step($"cost in month {input.Months}", $"monthly × (1 + growth)^({input.Months} − 1) = {Fmt.Number(monthly)} × {Fmt.Number(1 + input.MonthlyGrowth)}^{input.Months - 1}", last, currency);
        w.Step($"total over {input.Months} months", "Σ monthly × (1 + growth)^(k − 1), k = 1…months", horizon, currency);

        w.Result("cost_per_request", "Cost per request", perRequest, currency);
        w.Result("cost_per_1k", "Cost per 1k requests", perRequest * 1000, currency);
        w.Result("daily_cost", "Daily cost", daily, currency);
        w.Result("monthly_cost", $"Monthly cost ({Fmt.Number(input.DaysPerMonth)} days)", monthly, currency);
        w.Result("final_month_cost", $"Cost in month {input.Months}", last, currency);
        w.Result("horizon_cost", $"Total over {input.Months} months", horizon, currency);
        return w.Build(Kind, title, "monthly_cost");
    }

    private static void Validate(LlmApiInput input)
    {
        if (input.InputPerMillion < 0 || input.OutputPerMillion < 0 || input.CachedInputPerMillion < 0)
        {
            throw new UserInputException("LLM: token prices must not be negative.");
        }

        if (input.RequestsPerDay < 0 || input.InputTokens < 0 || input.CachedInputTokens < 0 || input.OutputTokens < 0)
        {
            throw new UserInputException("LLM: requests and token counts must not be negative.");
        }

        if (input.DaysPerMonth is <= 0 or > 31 || input.Months is < 1 or > 120 || input.MonthlyGrowth <= -1)
        {
            throw new UserInputException("LLM: days_per_month must be 1–31, months 1–120, and monthly_growth above −1.");
        }
    }
}
