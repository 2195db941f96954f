using System.Globalization;
using System.Text.Json;
using ModelMeter.Core.Errors;
using ModelMeter.Core.Llm;

namespace ModelMeter.Import.LlmUsage;

/// <summary>One call of an LLM usage log, its tokens counted once whatever the provider's convention.</summary>
public sealed record LoggedCall(int Line, DateTime At, string Provider, string Model, LlmTokens Tokens, bool Batch, IReadOnlyDictionary<string, string?> Tags);

/// <summary>
/// Reads an LLM usage log, one JSON object per line: <c>timestamp</c> (ISO 8601 with Z or an offset; or <c>created</c>,
/// epoch seconds as OpenAI writes it), <c>provider</c>, <c>model</c>, the provider's own <c>usage</c> object, optional
/// <c>tags</c> (team, feature, user ...) and <c>batch</c> (true for the batch API). Each provider's counting is undone
/// so every token is billed once:
/// <list type="bullet">
/// <item>OpenAI and compatible APIs (openai, azure, mistral, xai, deepseek, groq, together): <c>prompt_tokens</c>
/// includes <c>prompt_tokens_details.cached_tokens</c> (DeepSeek: <c>prompt_cache_hit_tokens</c>);
/// <c>completion_tokens</c> includes <c>completion_tokens_details.reasoning_tokens</c>. The Responses API's
/// <c>input_tokens</c>/<c>output_tokens</c> with <c>*_details</c> count the same way.</item>
/// <item>Anthropic (anthropic, bedrock, vertex_anthropic): <c>input_tokens</c> excludes <c>cache_read_input_tokens</c>
/// and <c>cache_creation_input_tokens</c>; <c>output_tokens</c> includes thinking.</item>
/// <item>Google (google, gemini, vertex): <c>promptTokenCount</c> includes <c>cachedContentTokenCount</c>;
/// <c>thoughtsTokenCount</c> is apart from <c>candidatesTokenCount</c> and bills as output.</item>
/// <item>Cohere: <c>billed_units.input_tokens</c> and <c>output_tokens</c>.</item>
/// </list>
/// A line that cannot be read refuses the file, naming the line and the JSON path.
/// </summary>
public static class LlmUsageJsonl
{
    private static readonly string[] OpenAiLike = ["openai", "azure", "azure_openai", "mistral", "xai", "deepseek", "groq", "together", "openrouter", "fireworks"];
    private static readonly string[] AnthropicLike = ["anthropic", "bedrock", "vertex_anthropic", "claude"];
    private static readonly string[] GoogleLike = ["google", "gemini", "vertex", "vertex_ai", "google_ai"];

    public static IReadOnlyList<LoggedCall> Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var calls = new List<LoggedCall>();
        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(raw);
            }
            catch (JsonException e)
            {
                throw new UserInputException($"{sourceName}: line {line}: not a JSON object: {e.Message}", e);
            }

            using (json)
            {
                calls.Add(Call(json.RootElement, sourceName, line));
            }
        }

        return calls;
    }

    private static LoggedCall Call(JsonElement call, string source, int line)
    {
        string Where(string path) => $"{source}: line {line}, {path}";
        if (call.ValueKind != JsonValueKind.Object)
        {
            throw new UserInputException($"{source}: line {line}: not a JSON object.");
        }

        var at = Time(call, Where);
        var provider = Text(call, "provider", Where)?.ToLowerInvariant() ?? throw new UserInputException($"{Where("$.provider")}: missing; name the provider (openai, anthropic, google, ...).");
        var model = Text(call, "model", Where) ?? throw new UserInputException($"{Where("$.model")}: missing.");
        if (!call.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            throw new UserInputException($"{Where("$.usage")}: missing; give the provider's usage object as it returned it.");
        }

        var tokens = OpenAiLike.Contains(provider) ? OpenAi(usage, Where)
            : AnthropicLike.Contains(provider) ? Anthropic(usage, Where)
            : GoogleLike.Contains(provider) ? Google(usage, Where)
            : provider == "cohere" ? Cohere(usage, Where)
            : throw new UserInputException($"{Where("$.provider")}: '{provider}' is not a provider whose usage object ModelMeter reads; use one of {string.Join(", ", OpenAiLike.Concat(AnthropicLike).Concat(GoogleLike).Append("cohere"))}.");
        var batch = call.TryGetProperty("batch", out var b) && b.ValueKind == JsonValueKind.True
            || (call.TryGetProperty("service_tier", out var tier) && tier.ValueKind == JsonValueKind.String && tier.GetString() == "batch");
        var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (call.TryGetProperty("tags", out var t))
        {
            if (t.ValueKind != JsonValueKind.Object)
            {
                throw new UserInputException($"{Where("$.tags")}: not an object of tag values.");
            }

            foreach (var tag in t.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.ValueKind switch
                {
                    JsonValueKind.String => tag.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => tag.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new UserInputException($"{Where("$.tags." + tag.Name)}: a tag value is a string, number or boolean."),
                };
            }
        }

        return new LoggedCall(line, at, provider, model, tokens, batch, tags);
    }

    private static LlmTokens OpenAi(JsonElement u, Func<string, string> where)
    {
        var chat = u.TryGetProperty("prompt_tokens", out _);
        var prompt = Count(u, chat ? "prompt_tokens" : "input_tokens", where, "$.usage", required: true);
        var completion = Count(u, chat ? "completion_tokens" : "output_tokens", where, "$.usage", required: true);
        var cached = Count(u, chat ? "prompt_tokens_details.cached_tokens" : "input_tokens_details.cached_tokens", where, "$.usage");
        if (cached == 0)
        {
            cached = Count(u, "prompt_cache_hit_tokens", where, "$.usage"); // DeepSeek
        }

        var reasoning = Count(u, chat ? "completion_tokens_details.reasoning_tokens" : "output_tokens_details.reasoning_tokens", where, "$.usage");
        if (cached > prompt)
        {
            throw new UserInputException($"{where("$.usage")}: {cached} cached tokens are more than the {prompt} prompt tokens that include them.");
        }

        if (reasoning > completion)
        {
            throw new UserInputException($"{where("$.usage")}: {reasoning} reasoning tokens are more than the {completion} completion tokens that include them.");
        }

        return new LlmTokens(prompt - cached, cached, 0, completion, reasoning);
    }

    private static LlmTokens Anthropic(JsonElement u, Func<string, string> where) => new(
        Count(u, "input_tokens", where, "$.usage", required: true),
        Count(u, "cache_read_input_tokens", where, "$.usage"),
        Count(u, "cache_creation_input_tokens", where, "$.usage"),
        Count(u, "output_tokens", where, "$.usage", required: true),
        0);

    private static LlmTokens Google(JsonElement u, Func<string, string> where)
    {
        long Either(string camel, string snake, bool required = false) =>
            u.TryGetProperty(camel, out _) ? Count(u, camel, where, "$.usage", required) : Count(u, snake, where, "$.usage", required);
        var prompt = Either("promptTokenCount", "prompt_token_count", required: true);
        var cached = Either("cachedContentTokenCount", "cached_content_token_count");
        var thoughts = Either("thoughtsTokenCount", "thoughts_token_count");
        var candidates = Either("candidatesTokenCount", "candidates_token_count");
        if (cached > prompt)
        {
            throw new UserInputException($"{where("$.usage")}: {cached} cached tokens are more than the {prompt} prompt tokens that include them.");
        }

        return new LlmTokens(prompt - cached, cached, 0, candidates + thoughts, thoughts);
    }

    private static LlmTokens Cohere(JsonElement u, Func<string, string> where) =>
        u.TryGetProperty("billed_units", out _)
            ? new(Count(u, "billed_units.input_tokens", where, "$.usage", required: true), 0, 0, Count(u, "billed_units.output_tokens", where, "$.usage", required: true), 0)
            : new(Count(u, "input_tokens", where, "$.usage", required: true), 0, 0, Count(u, "output_tokens", where, "$.usage", required: true), 0);

    /// <summary>A whole, non-negative token count at a dotted path under the usage object; 0 when absent and not required.</summary>
    private static long Count(JsonElement usage, string path, Func<string, string> where, string root, bool required = false)
    {
        var element = usage;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element) || element.ValueKind == JsonValueKind.Null)
            {
                return required ? throw new UserInputException($"{where($"{root}.{path}")}: missing; the provider's usage object has it.") : 0;
            }
        }

        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new UserInputException($"{where($"{root}.{path}")}: {element.GetRawText()} is not a whole, non-negative token count.");
    }

    private static string? Text(JsonElement call, string name, Func<string, string> where) =>
        call.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : throw new UserInputException($"{where("$." + name)}: not a text.")
            : null;

    private static DateTime Time(JsonElement call, Func<string, string> where)
    {
        if (call.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.String)
        {
            var text = t.GetString()!;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10))
            {
                return at.UtcDateTime;
            }

            throw new UserInputException($"{where("$.timestamp")}: '{text}' is not ISO 8601 with Z or an offset (2026-10-05T14:00:00Z).");
        }

        if (call.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var seconds))
        {
            return DateTime.UnixEpoch.AddSeconds(seconds);
        }

        throw new UserInputException($"{where("$.timestamp")}: missing; give the call's time (timestamp, or created in epoch seconds).");
    }
}
