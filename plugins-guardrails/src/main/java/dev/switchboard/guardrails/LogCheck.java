package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code default.log} (after-request): POSTs the hook context (see {@link ContextJson}) to
 * {@code logURL} with optional {@code headers} (object or JSON string) and {@code timeout} (3000 ms).
 * The verdict is true. As in Portkey, a POST that fails (network error, timeout, non-2xx) or is
 * answered with something other than JSON is an error, which fails open.
 *
 * <pre>{@code {"id": "default.log", "parameters": {"logURL": "https://logs.example/ingest"}}}</pre>
 */
public final class LogCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.log";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) throws Exception {
        return HttpCalls.await(checkAsync(context, parameters));
    }

    /** Reads {@code logURL}, {@code headers} and {@code timeout} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        HttpCalls.PostTarget target = read(parameters);
        return PreparedCheck.async(context -> evaluate(context, target));
    }

    @Override
    public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        HttpCalls.PostTarget target;
        try {
            target = read(parameters);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return evaluate(context, target);
    }

    private HttpCalls.PostTarget read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "logURL", "headers", "timeout");
        HttpCalls.PostTarget target = HttpCalls.PostTarget.read(p, "logURL");
        p.throwIfInvalid();
        return target;
    }

    private static CompletionStage<CheckOutcome> evaluate(CheckContext context, HttpCalls.PostTarget target) {
        return HttpCalls.postContext(context, target, "log").thenApply(reply -> {
            // as Portkey's post(): a failed call or an answer that is not JSON makes the check error (it fails open)
            if (!reply.isSuccess()) {
                throw new IllegalStateException("HTTP error! status: " + reply.status());
            }
            HttpCalls.json(reply, "log endpoint");
            return CheckOutcome.pass(Json.object().put("message", "Logged the request"));
        });
    }
}
