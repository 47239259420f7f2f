package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import java.util.Set;
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
        return HttpCalls.await(checkAsync(context, parameters));
    }

    @Override
    public CompletionStage<CheckOutcome> checkAsync(CheckContext context, ObjectNode parameters) {
        return HttpCalls.postContext(context, parameters, "logURL", "log")
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
