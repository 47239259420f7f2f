package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.HttpReply;
import dev.switchboard.spi.PreparedCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code default.webhook}: POSTs the hook context (see {@link ContextJson}) to {@code webhookURL}
 * with the extra {@code headers} (object or JSON string) and waits up to {@code timeout} ms (3000).
 * The webhook answers {@code {"verdict": bool, "data"?: …, "transformedData"?: {"request": {"json": …},
 * "response": {"json": …}}}}; a transformed request (before the call) or response (after it) becomes
 * the check's mutation. As in Portkey, the verdict is the answer's {@code verdict} read as JavaScript
 * does (missing, null, false, 0 or "" fail); a non-2xx answer, a timeout or an answer that is not JSON
 * is an error.
 *
 * <pre>{@code {"id": "default.webhook", "parameters": {"webhookURL": "https://guard.example/check", "headers": {"x-key": "…"}}}}</pre>
 */
public final class WebhookCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.webhook";
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) throws Exception {
        return HttpCalls.await(checkAsync(context, parameters));
    }

    /** Reads {@code webhookURL}, {@code headers} and {@code timeout} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "webhookURL", "headers", "timeout");
        HttpCalls.PostTarget target = HttpCalls.PostTarget.read(p, "webhookURL");
        p.throwIfInvalid();
        return target;
    }

    private static CompletionStage<CheckOutcome> evaluate(CheckContext context, HttpCalls.PostTarget target) {
        return HttpCalls.postContext(context, target, "webhook").thenApply(reply -> outcome(context, target, reply));
    }

    private static CheckOutcome outcome(CheckContext context, HttpCalls.PostTarget target, HttpReply reply) {
        if (!reply.isSuccess()) {
            throw new IllegalStateException("HTTP error! status: " + reply.status());
        }
        JsonNode answer = HttpCalls.json(reply, "webhook");
        // Portkey takes response.verdict as it is: a missing or false-like verdict fails, it is no error
        boolean verdict = JsText.truthy(answer.get("verdict"));
        ObjectNode data = Json.object();
        data.put("verdict", verdict);
        data.put("explanation", verdict ? "Webhook request succeeded" : "Webhook request failed");
        if (answer.hasNonNull("data")) {
            data.set("responseData", answer.get("data"));
        }
        data.putObject("requestContext").put("timeout", target.timeoutMs());
        CheckOutcome outcome = CheckOutcome.of(verdict, data);
        JsonNode transformed = answer.path("transformedData");
        if (context.event() == HookEvent.BEFORE_REQUEST
                && transformed.path("request").path("json").isObject()) {
            outcome = outcome.withTransformedRequest(
                    (ObjectNode) transformed.path("request").path("json"));
        }
        if (context.event() == HookEvent.AFTER_REQUEST
                && transformed.path("response").path("json").isObject()) {
            outcome = outcome.withTransformedResponse(
                    (ObjectNode) transformed.path("response").path("json"));
        }
        return outcome;
    }
}
