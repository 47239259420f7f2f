package dev.switchboard.api;

import java.util.List;

/** The result of one hook (guardrail or mutator) in the before- or after-request phase. */
public record HookResult(
        String id,
        String type,
        HookPhase phase,
        boolean verdict,
        boolean deny,
        boolean async,
        boolean transformed,
        boolean skipped,
        List<CheckResult> checks,
        long executionTimeMs) {

    public HookResult {
        checks = List.copyOf(checks);
    }

    /** When a hook runs. */
    public enum HookPhase {
        BEFORE_REQUEST,
        AFTER_REQUEST
    }
}
