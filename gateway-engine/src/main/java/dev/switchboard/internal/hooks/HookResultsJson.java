package dev.switchboard.internal.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CheckResult;
import dev.switchboard.api.HookResult;
import dev.switchboard.internal.config.HookSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Portkey's {@code hook_results} object (reference §5.3), appended to response bodies and to the
 * 446 error body:
 *
 * <pre>{@code
 * {"before_request_hooks": [{"verdict": true, "id": "g1", "type": "guardrail", "transformed": false,
 *    "execution_time": 3, "async": false, "deny": true,
 *    "checks": [{"verdict": true, "id": "default.regexMatch", "data": {...}, "execution_time": 1, "transformed": false}],
 *    "feedback": {"value": 1, "weight": 1, "metadata": {"successfulChecks": "default.regexMatch", "failedChecks": "", "erroredChecks": ""}}}],
 *  "after_request_hooks": []}
 * }</pre>
 *
 * {@code feedback} needs the hook's {@code on_success}/{@code on_fail} objects, which
 * {@link HookResult} does not carry: pass the compiled {@link HookSpec}s by hook id to
 * {@link #toJson(List, List, Map)}; {@link #toJson(List, List)} leaves feedback out.
 */
public final class HookResultsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private HookResultsJson() {}

    public static ObjectNode toJson(List<HookResult> before, List<HookResult> after) {
        return toJson(before, after, Map.of());
    }

    /** {@code specsById}: the phase's hook specs by {@link HookSpec#id()}, used for {@code feedback}. */
    public static ObjectNode toJson(List<HookResult> before, List<HookResult> after, Map<String, HookSpec> specsById) {
        ObjectNode root = F.objectNode();
        ArrayNode b = root.putArray("before_request_hooks");
        before.forEach(r -> b.add(hook(r, specsById.get(r.id()))));
        ArrayNode a = root.putArray("after_request_hooks");
        after.forEach(r -> a.add(hook(r, specsById.get(r.id()))));
        return root;
    }

    /** One hook result; {@code spec} may be null (no feedback then). */
    public static ObjectNode hook(HookResult r, HookSpec spec) {
        ObjectNode h = F.objectNode();
        h.put("verdict", r.verdict());
        h.put("id", r.id());
        h.put("type", r.type());
        ArrayNode checks = h.putArray("checks");
        r.checks().forEach(c -> checks.add(check(c)));
        h.put("transformed", r.transformed());
        h.put("execution_time", r.executionTimeMs());
        h.put("async", r.async());
        h.put("deny", r.deny());
        if (r.skipped()) {
            h.put("skipped", true);
        }
        ObjectNode feedback = feedback(r, spec);
        if (feedback != null) {
            h.set("feedback", feedback);
        }
        return h;
    }

    static ObjectNode check(CheckResult c) {
        ObjectNode o = F.objectNode();
        o.put("verdict", c.verdict());
        o.put("id", c.id());
        o.set("data", c.data() == null ? F.nullNode() : c.data());
        if (c.error() != null) {
            o.putObject("error").put("name", "Check error").put("message", c.error());
        }
        o.put("execution_time", c.executionTimeMs());
        o.put("transformed", c.transformed());
        if (c.failOnError()) {
            o.put("fail_on_error", true);
        }
        return o;
    }

    /**
     * {@code on_success} when the hook passed, {@code on_fail} when it failed; the configured
     * {@code feedback} (or the object itself when it has no {@code feedback} key) with its metadata
     * extended by the comma-separated ids of the successful, failed and errored checks.
     */
    static ObjectNode feedback(HookResult r, HookSpec spec) {
        if (spec == null) {
            return null;
        }
        JsonNode configured = r.verdict() ? spec.onSuccess() : spec.onFail();
        if (configured == null || configured.isNull() || configured.isMissingNode()) {
            return null;
        }
        JsonNode fb = configured.has("feedback") ? configured.get("feedback") : configured;
        if (!fb.isObject()) {
            return null;
        }
        ObjectNode out = ((ObjectNode) fb).deepCopy();
        ObjectNode metadata =
                out.path("metadata").isObject() ? (ObjectNode) out.get("metadata") : out.putObject("metadata");
        List<String> ok = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> errored = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            (c.error() != null ? errored : c.verdict() ? ok : failed).add(c.id());
        }
        metadata.put("successfulChecks", String.join(",", ok));
        metadata.put("failedChecks", String.join(",", failed));
        metadata.put("erroredChecks", String.join(",", errored));
        return out;
    }
}
