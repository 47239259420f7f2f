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
 * <p>When the gateway is built it calls {@link #prepare} once for every use of the check in the config:
 * a check that overrides it validates its parameters there (bad ones become a {@code ConfigException}
 * naming each parameter's JSON pointer) and returns a {@link PreparedCheck} holding what it parsed,
 * which then runs per request. A check that only implements {@link #id} and {@link #check} accepts
 * any parameters and reads them per request.
 *
 * <pre>{@code
 * public final class NoProfanity implements GuardrailCheck {
 *     public String id() { return "acme.noProfanity"; }
 *     public PreparedCheck prepare(ObjectNode params) {
 *         if (!params.path("word").isTextual()) {
 *             throw new InvalidParametersException("word", String.valueOf(params.get("word")), "a string");
 *         }
 *         String word = params.get("word").asText();
 *         return ctx -> CheckOutcome.of(!ctx.text().contains(word), null);
 *     }
 *     public CheckOutcome check(CheckContext ctx, ObjectNode params) throws Exception {
 *         return prepare(params).check(ctx);
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
     * Validates {@code parameters} and binds them, once per use of the check in a config: when the
     * gateway is built (for a per-request config override: when the override is first compiled).
     * Disabled checks ({@code is_enabled: false}) are prepared too, so a mistake is reported either way.
     * Parse everything here (regexes, schemas, URLs, durations) so nothing is parsed per request, and
     * report every bad parameter at once in one {@link InvalidParametersException}. The returned
     * check must be thread-safe; {@code parameters} (never null, {@code {}} when absent) must not be
     * modified. The default accepts any parameters and runs {@link #checkAsync} with them per request.
     *
     * @param parameters the check's {@code parameters} from the config; {@code {}} when absent
     * @return the check bound to these parameters, run for every request that reaches its hook
     * @throws InvalidParametersException when parameters are missing, of the wrong type or out of range
     */
    default PreparedCheck prepare(ObjectNode parameters) throws InvalidParametersException {
        return new PreparedCheck() {
            @Override
            public CheckOutcome check(CheckContext context) throws Exception {
                return GuardrailCheck.this.check(context, parameters);
            }

            @Override
            public CompletionStage<CheckOutcome> checkAsync(CheckContext context) {
                return GuardrailCheck.this.checkAsync(context, parameters);
            }
        };
    }

    /**
     * Evaluates the check with unprepared parameters; throwing means "errored" (fail-open unless
     * {@code failOnError}). The gateway calls it only through the default {@link #prepare}.
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
