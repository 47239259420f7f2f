package dev.switchboard.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.HookResult.HookPhase;
import java.util.List;

/**
 * A hook (reference §5.1): {@code type} guardrail or mutator, its checks, {@code deny},
 * {@code async}, {@code sequential}, and {@code on_fail}/{@code on_success} feedback objects
 * (null when absent). Shorthand forms are expanded into this shape by the compiler.
 */
public record HookSpec(
        String id,
        Type type,
        HookPhase phase,
        List<CheckSpec> checks,
        boolean deny,
        boolean async,
        boolean sequential,
        JsonNode onFail,
        JsonNode onSuccess) {

    public HookSpec {
        checks = List.copyOf(checks);
    }

    /** Hook types. */
    public enum Type {
        GUARDRAIL,
        MUTATOR
    }
}
