package dev.switchboard.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A guardrail check or mutator, addressed from a hook by its namespaced id ({@code default.regexMatch},
 * {@code acme.noProfanity}). Found through {@code ServiceLoader}
 * ({@code META-INF/services/dev.switchboard.spi.GuardrailCheck}) or registered on the gateway builder.
 * Checks should be pure functions of their context where possible.
 *
 * <pre>{@code
 * public final class NoProfanity implements GuardrailCheck {
 *     public String id() { return "acme.noProfanity"; }
 *     public CheckOutcome check(CheckContext ctx, ObjectNode params) {
 *         return CheckOutcome.of(!ctx.text().contains("darn"), null);
 *     }
 * }
 * }</pre>
 */
public interface GuardrailCheck {
    /** {@return the namespaced id, {@code <family>.<name>}} */
    String id();

    /** {@return the events the check supports (all by default); the config validator rejects it elsewhere} */
    default Set<HookEvent> supportedEvents() {
        return EnumSet.allOf(HookEvent.class);
    }

    /**
     * Evaluates the check.
     *
     * @param context    the request (and, after the call, the response) the check looks at
     * @param parameters the check's {@code parameters} from the config
     * @return the verdict, and a transformed body for mutators
     * @throws Exception when the check cannot decide: "errored", fail-open unless {@code failOnError}
     */
    CheckOutcome check(CheckContext context, ObjectNode parameters) throws Exception;

    /**
     * Asynchronous variant for checks that call out (webhooks, JWKS); defaults to {@link #check}.
     *
     * @param context    the request (and, after the call, the response) the check looks at
     * @param parameters the check's {@code parameters} from the config
     * @return the outcome, or a failed stage meaning "errored"
     */
    default CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        try {
            return CompletableFuture.completedFuture(check(context, parameters));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
