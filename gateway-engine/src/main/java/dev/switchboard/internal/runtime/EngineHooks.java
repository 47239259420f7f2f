package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.hooks.HookPhaseOutcome;
import dev.switchboard.internal.hooks.HookResultsJson;
import dev.switchboard.internal.hooks.HookRunner;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.Transport;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Builds hook contexts for a leaf call and runs its hook phases through the {@link HookRunner}. */
final class EngineHooks {
    private final HookRunner runner;
    private final Transport transport;
    private final Clock clock;

    EngineHooks(HookRunner runner, Transport transport, Clock clock) {
        this.runner = runner;
        this.transport = transport;
        this.clock = clock;
    }

    /** Hooks run for chat, completions and embeddings (reference §5.2). */
    static boolean hooksApply(Endpoint e) {
        return e == Endpoint.CHAT_COMPLETIONS || e == Endpoint.COMPLETIONS || e == Endpoint.EMBEDDINGS;
    }

    /** After-request hooks: not for embeddings. */
    static boolean afterHooksApply(Endpoint e) {
        return e == Endpoint.CHAT_COMPLETIONS || e == Endpoint.COMPLETIONS;
    }

    /** Portkey's {@code hook_results} object for a leaf, with feedback from the hooks' on_fail/on_success. */
    static ObjectNode resultsJson(LeafCall call, java.util.List<dev.switchboard.api.HookResult> after) {
        java.util.Map<String, dev.switchboard.internal.config.HookSpec> specs = new java.util.HashMap<>();
        call.target.settings().beforeHooks().forEach(h -> specs.put(h.id(), h));
        call.target.settings().afterHooks().forEach(h -> specs.put(h.id(), h));
        return HookResultsJson.toJson(call.hooks.before, after, specs);
    }

    CompletableFuture<HookPhaseOutcome> before(LeafCall call) {
        CheckContext ctx =
                context(call, HookEvent.BEFORE_REQUEST).request(call.body).build();
        return runner.run(call.target.settings().beforeHooks(), ctx);
    }

    CompletableFuture<HookPhaseOutcome> after(LeafCall call, ObjectNode response, int status) {
        CheckContext ctx = context(call, HookEvent.AFTER_REQUEST)
                .request(call.body)
                .response(response, status)
                .build();
        return runner.run(call.target.settings().afterHooks(), ctx);
    }

    /**
     * After-hooks of a stream, on the assembled answer: completes with the error event that ends the
     * stream when a deny hook failed, else null. Results go to the trace.
     */
    CompletionStage<ServerSentEvent> afterStream(LeafCall call, String text) {
        ObjectNode response = Json.object();
        response.put("object", "chat.completion");
        ObjectNode choice = response.putArray("choices").addObject();
        choice.put("index", 0);
        if (call.request.endpoint == Endpoint.COMPLETIONS) {
            choice.put("text", text);
        } else {
            choice.putObject("message").put("role", "assistant").put("content", text);
        }
        return after(call, response, 200).handle((outcome, e) -> {
            if (e != null) {
                return null;
            }
            call.request.trace.addHookResults(outcome.results());
            if (!outcome.denied()) {
                return null;
            }
            ObjectNode err = ErrorBody.of(
                    "The guardrail checks defined in the config failed on the streamed answer. "
                            + "You can find more information in the `hook_results` object.",
                    "hooks_failed",
                    null,
                    null);
            err.set("hook_results", resultsJson(call, outcome.results()));
            return ServerSentEvent.data(Json.text(err));
        });
    }

    private CheckContext.Builder context(LeafCall call, HookEvent event) {
        return CheckContext.builder(event, call.request.endpoint)
                .provider(call.target.provider())
                .metadata(call.request.request.metadata())
                .requestHeaders(call.request.request.headers())
                .streaming(call.request.stream)
                .transport(transport)
                .clock(clock);
    }
}
