#!/usr/bin/env python3
"""Regenerates data/catalog/llm.yaml: LLM API prices with their sources and effective-from dates (a price history).

Usage: eng/gen-llm-catalog.py PATH/TO/model_prices.json > data/catalog/llm.yaml
       (model_prices.json: BerriAI/litellm's model_prices_and_context_window.json, the maintained public list, or the
       AgentOps-AI/tokencost snapshot of it; its prices are USD per token, the catalogue's USD per million tokens.)

Each model takes from the list: input, output, cached input (cache_read_input_token_cost, or DeepSeek's
input_cost_per_token_cache_hit), cache writes (cache_creation_input_token_cost), batch prices (*_batches) and prices above
200k prompt tokens (*_above_200k_tokens). CHANGES below then corrects the list where the providers' own published prices
differ, and adds later price changes as entries with an effective_from date; each keeps its source (docs/prices.md).
"""
import json, sys
from decimal import Decimal

SNAPSHOT = "AgentOps-AI/tokencost snapshot (commit e7f7c19, 2025-09-05) of BerriAI/litellm model_prices_and_context_window.json"
SNAPSHOT_DATE = "2025-09-05"

# (catalogue key, key in the JSON, provider label). A chosen set of current models of the main providers.
MODELS = [
    ("gpt-5", "gpt-5", "OpenAI"), ("gpt-5-mini", "gpt-5-mini", "OpenAI"), ("gpt-5-nano", "gpt-5-nano", "OpenAI"),
    ("gpt-4.1", "gpt-4.1", "OpenAI"), ("gpt-4.1-mini", "gpt-4.1-mini", "OpenAI"), ("gpt-4.1-nano", "gpt-4.1-nano", "OpenAI"),
    ("gpt-4o", "gpt-4o", "OpenAI"), ("gpt-4o-mini", "gpt-4o-mini", "OpenAI"),
    ("o3", "o3", "OpenAI"), ("o4-mini", "o4-mini", "OpenAI"),
    ("text-embedding-3-small", "text-embedding-3-small", "OpenAI"), ("text-embedding-3-large", "text-embedding-3-large", "OpenAI"),
    ("claude-opus-4.1", "claude-opus-4-1-20250805", "Anthropic"), ("claude-sonnet-4", "claude-sonnet-4-20250514", "Anthropic"),
    ("claude-3.7-sonnet", "claude-3-7-sonnet-20250219", "Anthropic"), ("claude-3.5-haiku", "claude-3-5-haiku-20241022", "Anthropic"),
    ("gemini-2.5-pro", "gemini/gemini-2.5-pro", "Google (Gemini API)"), ("gemini-2.5-flash", "gemini/gemini-2.5-flash", "Google (Gemini API)"),
    ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite", "Google (Vertex AI)"), ("gemini-2.0-flash", "gemini/gemini-2.0-flash", "Google (Gemini API)"),
    ("mistral-large", "mistral/mistral-large-latest", "Mistral"), ("mistral-medium", "mistral/mistral-medium-latest", "Mistral"),
    ("mistral-small", "mistral/mistral-small-latest", "Mistral"), ("codestral", "mistral/codestral-latest", "Mistral"),
    ("deepseek-chat", "deepseek/deepseek-chat", "DeepSeek"), ("deepseek-reasoner", "deepseek/deepseek-reasoner", "DeepSeek"),
    ("grok-4", "xai/grok-4", "xAI"), ("grok-3-mini", "xai/grok-3-mini", "xAI"),
    ("command-a", "command-a-03-2025", "Cohere"), ("command-r-plus", "command-r-plus", "Cohere"), ("command-r", "command-r", "Cohere"),
]

# Corrections of the list and later changes: (key, effective_from or None for a correction of the list's entry, fields,
# source, as_of). Checked against the providers' published prices (docs/prices.md).
CHANGES = [
    ("codestral", None, {"input": "0.30", "output": "0.90"},
     "mistral.ai pricing, as recorded by pydantic/genai-prices mistral.yml (docs/prices.md)", "2025-07-04"),
    ("deepseek-reasoner", None, {"cached_input": "0.14"},
     "api-docs.deepseek.com pricing page (docs/prices.md)", "2025-09-05"),
    ("deepseek-chat", "2025-09-05T16:00:00Z", {"input": "0.56", "cached_input": "0.07", "output": "1.68"},
     "api-docs.deepseek.com pricing page: new prices from 2025-09-05 16:00 UTC (docs/prices.md)", "2025-09-05"),
    ("deepseek-reasoner", "2025-09-05T16:00:00Z", {"input": "0.56", "cached_input": "0.07", "output": "1.68"},
     "api-docs.deepseek.com pricing page: new prices from 2025-09-05 16:00 UTC (docs/prices.md)", "2025-09-05"),
    ("grok-4", None, {"cached_input": "0.75"}, "x.ai pricing, as recorded by pydantic/genai-prices x_ai.yml (docs/prices.md)", "2025-07-12"),
    ("grok-3-mini", None, {"cached_input": "0.075"}, "x.ai pricing, as recorded by pydantic/genai-prices x_ai.yml (docs/prices.md)", "2025-07-12"),
    # Google's lower Gemini 2.5 cache prices: the day they took effect is not published with them; from the day they were
    # read, the earlier (higher) price before that.
    ("gemini-2.5-pro", "2025-10-31T00:00:00Z", {"cached_input": "0.125", "long_context_cached_input": "0.25"},
     "ai.google.dev pricing, as recorded by pydantic/genai-prices google.yml (docs/prices.md)", "2025-10-31"),
    ("gemini-2.5-flash", "2025-10-31T00:00:00Z", {"cached_input": "0.03"},
     "ai.google.dev pricing, as recorded by pydantic/genai-prices google.yml (docs/prices.md)", "2025-10-31"),
    ("gemini-2.5-flash-lite", "2025-10-31T00:00:00Z", {"cached_input": "0.01"},
     "ai.google.dev pricing, as recorded by pydantic/genai-prices google.yml (docs/prices.md)", "2025-10-31"),
]

FIELDS = [
    ("input", "input_cost_per_token"), ("cached_input", "cache_read_input_token_cost"), ("cached_input", "input_cost_per_token_cache_hit"),
    ("cache_write", "cache_creation_input_token_cost"), ("output", "output_cost_per_token"),
    ("batch_input", "input_cost_per_token_batches"), ("batch_output", "output_cost_per_token_batches"),
    ("long_context_input", "input_cost_per_token_above_200k_tokens"), ("long_context_output", "output_cost_per_token_above_200k_tokens"),
    ("long_context_cached_input", "cache_read_input_token_cost_above_200k_tokens"),
]
ORDER = ["input", "cached_input", "cache_write", "output", "batch_input", "batch_output", "long_context_threshold",
         "long_context_input", "long_context_cached_input", "long_context_output"]

def per_million(v):
    return format((Decimal(repr(v)) * 1_000_000).normalize(), "f")

def emit(key, provider, source_model, prices, source, as_of, effective_from, note):
    print(f"  - key: {key}")
    print(f"    provider: {provider}")
    print(f"    source_model: {source_model}")
    if effective_from:
        print(f"    effective_from: {effective_from}")
    for field in ORDER:
        if field in prices:
            print(f"    {field}: {prices[field]}")
    print(f'    source: "{source}"')
    print(f"    as_of: {as_of}")
    if note:
        print(f'    note: "{note}"')

data = json.load(open(sys.argv[1]))
print("# LLM API prices, USD per million tokens, with a price history. Generated by eng/gen-llm-catalog.py; do not edit by hand.")
print("# cached_input: the cache-read price (absent: cached tokens bill at the input price); cache_write: Anthropic-style cache")
print("# creation; batch_*: the batch API; long_context_*: prompts above long_context_threshold tokens. An entry with")
print("# effective_from applies from that instant (UTC) on; a call is priced by the latest entry in effect when it was made.")
print(f'source: "{SNAPSHOT}"')
print(f"as_of: {SNAPSHOT_DATE}")
print("currency: USD")
print("llm:")
for key, src, provider in MODELS:
    m = data[src]
    prices = {}
    for field, name in FIELDS:
        if m.get(name) is not None and field not in prices:
            prices[field] = per_million(m[name])
    if "long_context_input" in prices:
        prices["long_context_threshold"] = "200000"
    note = "embedding model: output tokens are not billed" if m.get("mode") == "embedding" else None
    source, as_of = SNAPSHOT, SNAPSHOT_DATE
    corrections = [c for c in CHANGES if c[0] == key and c[1] is None]
    for _, _, fields, csource, cdate in corrections:
        prices.update(fields)
        source, as_of = f"{SNAPSHOT}; corrected: {', '.join(fields)} from {csource}", cdate
    emit(key, provider, src, prices, source, as_of, None, note)
    for _, effective, fields, csource, cdate in [c for c in CHANGES if c[0] == key and c[1] is not None]:
        later = dict(prices)
        later.update(fields)
        emit(key, provider, src, later, csource, cdate, effective, note)
