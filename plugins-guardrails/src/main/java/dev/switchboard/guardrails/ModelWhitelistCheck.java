package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.PreparedCheck;
import java.util.List;
import java.util.Set;

/**
 * {@code default.modelWhitelist} (before-request): passes when the request's {@code model} is one of
 * {@code models} (an array, required; an empty one allows nothing); {@code not} turns the list into
 * a block list. A request without a model is an error ("Missing model in request"), as in Portkey. (Portkey's manifest spells the id {@code modelwhitelist}; the canonical id here is
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
        List<String> models = p.strings("models", false);
        if (!p.has("models")) {
            p.problem("models", "nothing", "an array of model names (required)");
        }
        boolean not = p.bool("not", false);
        p.throwIfInvalid();
        return new Settings(models, not);
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        List<String> models = settings.models();
        boolean not = settings.not();
        JsonNode model = requestModel(context);
        String name = JsText.string(model);
        boolean listed = model.isTextual() && models.contains(model.textValue());
        boolean verdict = listed != not;
        ObjectNode data = Json.object();
        data.put("verdict", verdict);
        data.put("not", not);
        data.put(
                "explanation",
                verdict
                        ? not
                                ? "Model \"" + name + "\" is not in the allowed list as expected."
                                : "Model \"" + name + "\" is allowed."
                        : not
                                ? "Model \"" + name + "\" is in the allowed list when it should not be."
                                : "Model \"" + name + "\" is not in the allowed list.");
        data.set("requestedModel", model);
        models.forEach(data.putArray("allowedModels")::add);
        return CheckOutcome.of(verdict, data);
    }

    /** {@code context.request.json.model}; an error (as in Portkey) when it is missing or falsy. */
    static JsonNode requestModel(CheckContext context) {
        JsonNode model = context.request() == null ? null : context.request().get("model");
        if (!JsText.truthy(model)) {
            throw new IllegalStateException("Missing model in request");
        }
        return model;
    }
}
