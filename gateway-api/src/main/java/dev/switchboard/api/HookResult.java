package dev.switchboard.api;

import java.util.List;

/**
 * The result of one hook (guardrail or mutator) in the before- or after-request phase, as Portkey
 * reports it in {@code hook_results}.
 *
 * @param id              the hook's id from the config
 * @param type            {@code guardrail} or {@code mutator}
 * @param phase           before or after the provider call
 * @param verdict         true when every check passed
 * @param deny            whether a failing verdict refuses the request (446) rather than flagging it (246)
 * @param async           true for a hook run beside the provider call, log-only
 * @param transformed     true when a mutator rewrote the request or response
 * @param skipped         true when the hook was skipped rather than run (Portkey's {@code skipped})
 * @param checks          the result of each check in the hook
 * @param executionTimeMs how long the hook took
 */
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

    /**
     * Copies {@code checks}, so the record stays immutable.
     *
     * @param id              the hook's id
     * @param type            {@code guardrail} or {@code mutator}
     * @param phase           before or after the provider call
     * @param verdict         true when every check passed
     * @param deny            whether a failing verdict refuses the request
     * @param async           true for a log-only hook run beside the call
     * @param transformed     true when a mutator rewrote a body
     * @param skipped         true when the hook did not run
     * @param checks          the result of each check; not null
     * @param executionTimeMs how long the hook took
     */
    public HookResult {
        checks = List.copyOf(checks);
    }

    /** When a hook runs. */
    public enum HookPhase {
        /** Before the provider call: input guardrails and mutators. */
        BEFORE_REQUEST,
        /** After the provider answered: output guardrails and mutators. */
        AFTER_REQUEST
    }
}
