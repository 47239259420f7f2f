package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.UpstreamRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code default.log} (after-request): POSTs the hook context (see {@link ContextJson}) to
 * {@code logURL} with optional {@code headers} (object or JSON string) and {@code timeout} (3000 ms).
 * The verdict is true, unless the POST fails (network error, timeout, non-2xx) — then it is false
 * with the reason in {@code data}.
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
        try {
            return checkAsync(context, parameters).toCompletableFuture().get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = HttpCalls.unwrap(e);
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        URI uri;
        Map<String, String> headers = new LinkedHashMap<>();
        long timeout;
        try {
            uri = HttpCalls.httpUri(Params.requiredString(parameters, "logURL"), "logURL");
            headers.put("content-type", "application/json");
            headers.putAll(Params.headers(parameters, "headers"));
            timeout = Params.nonNegative(parameters, "timeout", 3000);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] body = Json.bytes(ContextJson.of(context));
        return HttpCalls.send(context.transport(), UpstreamRequest.post(uri, headers, body), timeout, "log")
                .handle((reply, error) -> {
                    if (error == null && reply.isSuccess()) {
                        return CheckOutcome.pass(Explanations.of("The context was logged."));
                    }
                    String reason = error != null ? HttpCalls.unwrap(error).getClass().getSimpleName() + ": "
                            + HttpCalls.unwrap(error).getMessage() : "log endpoint returned HTTP " + reply.status();
                    ObjectNode data = Explanations.of("Logging failed: " + reason);
                    return CheckOutcome.fail(data);
                });
    }
}
