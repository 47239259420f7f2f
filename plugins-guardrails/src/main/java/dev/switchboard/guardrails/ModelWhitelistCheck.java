package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.List;
import java.util.Set;

/**
 * {@code default.modelWhitelist} (before-request): passes when the request's {@code model} is one of
 * {@code models}; {@code not} turns the list into a block list. A request without a model is never
 * in the list. (Portkey's manifest spells the id {@code modelwhitelist}; the canonical id here is
 * camel-case, as in Portkey's docs.)
 *
 * <pre>{@code {"id": "default.modelWhitelist", "parameters": {"models": ["gpt-4o-mini"]}}}</pre>
 */
public final class ModelWhitelistCheck implements GuardrailCheck {
    @Override
    public String id() {
        return "default.modelWhitelist";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.BEFORE_REQUEST);
    }

    /** The prepared parameters. */
    private record Settings(List<String> models, boolean not) {}

    /** Reads {@code models} and {@code not} once. */
    @Override
    public PreparedCheck prepare(ObjectNode parameters) {
        Settings settings = read(parameters);
        return context -> evaluate(context, settings);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        return evaluate(context, read(parameters));
    }

    private Settings read(ObjectNode parameters) {
        ParameterReader p = new ParameterReader(id(), parameters, "models", "not");
        List<String> models = p.requiredStrings("models");
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(models, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> models = settings.models();
        boolean not = settings.not();
        String model = requestModel(context);
        boolean listed = model != null && models.contains(model);
        ObjectNode data = Explanations.of(model == null ? "The request has no model."
                : "Model '" + model + "' is " + (listed ? "" : "not ") + "in the list" + (not ? " (not: true)." : "."));
        data.put("requestedModel", model);
        data.put("not", not);
        return CheckOutcome.of(Explanations.verdict(listed, not), data);
    }

    static String requestModel(CheckContext context) {
        if (context.request() == null || !context.request().path("model").isTextual()) {
            return null;
        }
        return context.request().get("model").asText();
    }
}
