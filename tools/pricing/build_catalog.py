#!/usr/bin/env python3
"""Builds Switchboard's bundled pricing catalog from LiteLLM's model price map.

Usage (from the repository root):
    python3 tools/pricing/build_catalog.py path/to/model_prices_and_context_window.json

The input is a copy of LiteLLM's price map (https://github.com/BerriAI/litellm, file
model_prices_and_context_window.json) with LiteLLM's LICENSE saved next to it as
LICENSE-litellm.txt; nothing outside this repository is read unless named on the command line.

Reads LiteLLM's model_prices_and_context_window.json (BerriAI/litellm, MIT; USD per token) and
writes gateway-engine/src/main/resources/dev/switchboard/pricing/catalog.json plus the LiteLLM
licence next to it. Only chat, completion, embedding, realtime and media (image, transcription, speech,
moderation) models of the providers Switchboard ships adapters for are kept, keyed "<switchboard provider id>/<model name as callers send it>", and only
the price fields that are present, plus "max_output" (LiteLLM's max_output_tokens, the model's output
limit per choice) when LiteLLM has it. Re-run it when the price map is refreshed, update VERSION
below to the snapshot date, and update the catalog's entry in NOTICE.
"""
import json
import re
import os
import shutil
import sys

VERSION = "litellm 2026-07-24"
SOURCE = "BerriAI/litellm model_prices_and_context_window.json (MIT, see LICENSE-litellm.txt)"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(REPO, "gateway-engine", "src", "main", "resources", "dev", "switchboard", "pricing")

MODES = {"chat", "completion", "embedding", "realtime"}
# Media models (images, transcription, speech, moderation): priced per image, per second, per character
# or per token, and kept even without a per-token price.
MEDIA_MODES = {"image_generation", "image_edit", "audio_transcription", "audio_speech", "moderation"}

# An image price keyed by quality and size, as LiteLLM keys them: "hd/1024-x-1024/dall-e-3",
# "1024-x-1024/dall-e-2", "low/1536-x-1024/gpt-image-1".
IMAGE_VARIANT = re.compile(r"^(?:(?:standard|hd|low|medium|high|auto)/)?(\d+)-x-(\d+)/[^/]+$")

# LiteLLM provider -> (Switchboard provider id, key prefix LiteLLM puts before the model name).
PROVIDERS = {
    "openai": ("openai", ""),
    "text-completion-openai": ("openai", ""),
    "azure": ("azure-openai", "azure/"),
    "azure_text": ("azure-openai", "azure/"),
    "anthropic": ("anthropic", ""),
    "gemini": ("google", "gemini/"),
    "bedrock": ("bedrock", ""),
    "bedrock_converse": ("bedrock", ""),
    "cohere": ("cohere", "cohere/"),
    "cohere_chat": ("cohere", "cohere/"),
    "mistral": ("mistral-ai", "mistral/"),
    "groq": ("groq", "groq/"),
    "deepseek": ("deepseek", "deepseek/"),
    "together_ai": ("together-ai", "together_ai/"),
    "fireworks_ai": ("fireworks-ai", "fireworks_ai/"),
    "fireworks_ai-embedding-models": ("fireworks-ai", "fireworks_ai/"),
}
VERTEX_PREFIX = "vertex_ai/"

# LiteLLM field -> catalog field (USD per token, image: USD per generated image).
FIELDS = [
    ("input_cost_per_token", "input"),
    ("output_cost_per_token", "output"),
    ("cache_read_input_token_cost", "cache_read"),
    ("cache_creation_input_token_cost", "cache_write"),
    ("output_cost_per_reasoning_token", "reasoning"),
    ("input_cost_per_audio_token", "audio_input"),
    ("output_cost_per_audio_token", "audio_output"),
    ("output_cost_per_image", "image"),
    ("input_cost_per_second", "per_second"),
    ("input_cost_per_character", "per_character"),
    ("input_cost_per_image_token", "image_input"),
    ("output_cost_per_image_token", "image_output"),
]


def switchboard_name(key, entry):
    """(provider id, model) for a LiteLLM entry, or None when Switchboard does not use it."""
    lp = entry.get("litellm_provider")
    if lp is None or (entry.get("mode") not in MODES and entry.get("mode") not in MEDIA_MODES):
        return None
    if lp.startswith("vertex_ai"):
        provider, prefix = "vertex-ai", VERTEX_PREFIX
    elif lp in PROVIDERS:
        provider, prefix = PROVIDERS[lp]
    else:
        return None
    model = key
    if prefix and model.startswith(prefix):
        model = model[len(prefix):]
    elif provider == "together-ai":
        return None  # unprefixed together entries are size buckets ("together-ai-4.1b-8b"), not models
    if provider in ("azure-openai", "bedrock") and "/" in model and not IMAGE_VARIANT.match(model):
        return None  # regional / deployment-scoped variants (azure/eu/..., bedrock/us-east-1/...)
    return provider, model


# Rates read only for media models (a chat model's per-character or image-token rate is not used).
MEDIA_FIELDS = {"per_second", "per_character", "image_input", "image_output"}


def number(entry, field):
    v = entry.get(field)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def prices(entry, key=""):
    out = {}
    media = entry.get("mode") in MEDIA_MODES
    for src, dst in FIELDS:
        v = number(entry, src)
        if v is not None and (media or dst not in MEDIA_FIELDS):
            out[dst] = v
    if entry.get("mode") in ("image_generation", "image_edit"):
        # USD per image: LiteLLM gives it per image (output_ or input_cost_per_image) or per pixel of the
        # size in the key (dall-e: "hd/1024-x-1024/dall-e-3" at 7.629e-08 per pixel = $0.08 per image).
        per_image = number(entry, "output_cost_per_image") or number(entry, "input_cost_per_image")
        size = IMAGE_VARIANT.match(key.split("/", 1)[1] if key.startswith("azure/") else key)
        per_pixel = number(entry, "input_cost_per_pixel")
        if per_image is None and per_pixel and size:
            per_image = round(per_pixel * int(size.group(1)) * int(size.group(2)), 6)
        if per_image is not None:
            out["image"] = per_image
        if "image_output" in out and "output" not in out:
            out["output"] = out["image_output"]  # gpt-image-1's output tokens are image tokens
    base_in, batch_in = entry.get("input_cost_per_token"), entry.get("input_cost_per_token_batches")
    if isinstance(base_in, (int, float)) and isinstance(batch_in, (int, float)) and base_in > 0:
        out["batch_discount"] = round(batch_in / base_in, 4)
    return out


def output_limit(entry):
    """The model's output limit in tokens (LiteLLM's max_output_tokens), or None.

    Admission caps a request's reservation at it and reserves it for a request without max_tokens.
    LiteLLM's legacy "max_tokens" is not used: for some entries it is the input limit. Embedding
    models write no output.
    """
    if entry.get("mode") == "embedding":
        return None
    v = entry.get("max_output_tokens")
    if isinstance(v, int) and not isinstance(v, bool) and v > 0:
        return v
    return None


def build(source_path):
    with open(source_path, encoding="utf-8") as f:
        data = json.load(f)
    models = {}
    native = {}  # whether the kept entry came from an unprefixed LiteLLM key (those win collisions)
    for key, entry in data.items():
        if key in ("sample_spec", "fallback_generalizations") or not isinstance(entry, dict):
            continue
        name = switchboard_name(key, entry)
        if name is None:
            continue
        p = prices(entry, key)
        if not p:
            continue  # no price LiteLLM knows: leave unknown
        limit = output_limit(entry)
        if limit is not None:
            p["max_output"] = limit
        cat_key = name[0] + "/" + name[1]
        is_native = "/" not in key
        if cat_key in models:
            keep_existing = native[cat_key] or not is_native
            if models[cat_key] != p:
                print(f"note: {cat_key}: prices differ between LiteLLM keys; "
                      f"{'keeping the first' if keep_existing else 'using ' + key}", file=sys.stderr)
            if keep_existing:
                continue
        models[cat_key] = p
        native[cat_key] = is_native
    return models


def write(models, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    lines = ["{", f'  "version": {json.dumps(VERSION)},', f'  "source": {json.dumps(SOURCE)},', '  "models": {']
    keys = sorted(models)
    for i, k in enumerate(keys):
        sep = "," if i < len(keys) - 1 else ""
        lines.append(f"    {json.dumps(k)}: {json.dumps(models[k], separators=(',', ':'))}{sep}")
    lines += ["  }", "}", ""]
    with open(os.path.join(out_dir, "catalog.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 tools/pricing/build_catalog.py path/to/model_prices_and_context_window.json "
                 "(LiteLLM's price map, with LiteLLM's LICENSE next to it as LICENSE-litellm.txt)")
    source = sys.argv[1]
    licence = os.path.join(os.path.dirname(source), "LICENSE-litellm.txt")
    if not os.path.isfile(licence):
        sys.exit(f"{licence} not found: save BerriAI/litellm's LICENSE there, it ships beside the catalog")
    models = build(source)
    write(models, OUT_DIR)
    shutil.copyfile(licence, os.path.join(OUT_DIR, "LICENSE-litellm.txt"))
    counts = {}
    for k in models:
        counts[k.split("/", 1)[0]] = counts.get(k.split("/", 1)[0], 0) + 1
    print(f"wrote {len(models)} models to {OUT_DIR}/catalog.json: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
