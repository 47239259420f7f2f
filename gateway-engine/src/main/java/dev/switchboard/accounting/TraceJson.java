package dev.switchboard.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Attempt;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Json;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import java.time.Duration;
import java.util.Map;

/**
 * The one JSON shape of a {@link RequestTrace} that the log sinks write, one object per request:
 *
 * <pre>{@code
 * {"timestamp":"2026-07-24T10:00:00Z","trace_id":"t-1","endpoint":"chat_completions","status":200,
 *  "latency_ms":412,"last_used_option_index":"config.targets[1]","cache_status":"MISS",
 *  "retry_attempt_count":0,"user":"u-7","metadata":{"team":"search"},
 *  "prompt":{"id":"support-reply","version":3},
 *  "usage":{"prompt_tokens":12,...},"cost_usd":0.00123,
 *  "attempts":[{"target_path":"config.targets[0]","provider":"openai","model":"gpt-4o","status":503,
 *               "latency_ms":20,"retry":0,"error_class":"http_503","error_message":"...","usage":null,
 *               "cost_usd":0,"notes":[]}, ...]}
 * }</pre>
 *
 * {@code prompt} is there only for a request rendered from a prompt template ({@code version} null
 * when the prompt was not found). An unknown cost is written as {@code "cost_unknown": "<reason>"} instead of {@code cost_usd}.
 * Traces carry no secrets (credentials never enter a trace), so nothing here needs redacting.
 */
public final class TraceJson {
    private TraceJson() {}

    /**
     * The JSON of one request.
     *
     * @param t the trace
     * @return the object shown above
     */
    public static ObjectNode toJson(RequestTrace t) {
        ObjectNode n = Json.object();
        n.put("timestamp", t.startedAt() == null ? null : t.startedAt().toString());
        n.put("trace_id", t.traceId());
        n.put("endpoint", t.endpoint() == null ? null : t.endpoint().name().toLowerCase());
        n.put("status", t.status());
        n.put("latency_ms", millis(t.latency()));
        n.put("last_used_option_index", t.lastUsedOptionIndex());
        n.put("cache_status", t.cacheStatus() == null ? null : t.cacheStatus().header());
        n.put("retry_attempt_count", t.retryAttemptCount());
        n.put("user", t.user());
        ObjectNode md = n.putObject("metadata");
        if (t.metadata() != null) {
            for (Map.Entry<String, String> e : t.metadata().entrySet()) {
                md.put(e.getKey(), e.getValue());
            }
        }
        if (t.promptId() != null) {
            ObjectNode prompt = n.putObject("prompt");
            prompt.put("id", t.promptId());
            prompt.put("version", t.promptVersion());
        }
        usage(n, t.totalUsage());
        cost(n, t.totalCost());
        ArrayNode attempts = n.putArray("attempts");
        if (t.attempts() != null) {
            for (Attempt a : t.attempts()) {
                ObjectNode o = attempts.addObject();
                o.put("target_path", a.targetPath());
                if (a.virtualKey() != null) {
                    o.put("virtual_key", a.virtualKey());
                }
                o.put("provider", a.provider());
                o.put("model", a.model());
                o.put("status", a.status());
                o.put("latency_ms", millis(a.latency()));
                o.put("retry", a.retryNumber());
                o.put("error_class", a.errorClass());
                o.put("error_message", a.errorMessage());
                if (a.cacheStatus() != null) {
                    o.put("cache_status", a.cacheStatus().header());
                }
                usage(o, a.usage());
                cost(o, a.cost());
                if (a.saved() != null && a.saved().known()) {
                    o.put("saved_usd", a.saved().usd());
                }
                ArrayNode notes = o.putArray("notes");
                a.notes().forEach(notes::add);
            }
        }
        return n;
    }

    /**
     * The JSON of one request as one line, for line-oriented logs.
     *
     * @param t the trace
     * @return {@link #toJson} as compact text, without a line break
     */
    public static String toLine(RequestTrace t) {
        return Json.text(toJson(t));
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static void usage(ObjectNode n, Usage u) {
        if (u == null) {
            n.putNull("usage");
            return;
        }
        ObjectNode o = n.putObject("usage");
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.completionTokens());
        o.put("total_tokens", u.totalTokens());
        o.put("cached_tokens", u.cachedTokens());
        o.put("cache_write_tokens", u.cacheWriteTokens());
        o.put("reasoning_tokens", u.reasoningTokens());
        o.put("audio_input_tokens", u.audioInputTokens());
        o.put("audio_output_tokens", u.audioOutputTokens());
        if (u.estimated()) {
            o.put("estimated", true);
        }
    }

    private static void cost(ObjectNode n, Cost c) {
        if (c == null) {
            n.put("cost_unknown", "not recorded");
        } else if (c.known()) {
            n.put("cost_usd", c.usd());
        } else {
            n.put("cost_unknown", c.unknownReason());
        }
    }
}
