package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code default.jsonSchema} (after-request): passes when some JSON document in the answer (see
 * {@link JsonCandidates}) validates against {@code schema} (JSON Schema draft 2020-12 unless the
 * schema's {@code $schema} says otherwise); {@code not} inverts. {@code data.validationErrors}
 * lists {@code {path, message}} for the first candidate when none validates. Remote {@code $ref}s
 * are never fetched (a config must not make the gateway call out); such a schema errors.
 *
 * <pre>{@code {"id": "default.jsonSchema", "parameters": {"schema": {"type": "object", "required": ["name"]}}}}</pre>
 */
public final class JsonSchemaCheck implements GuardrailCheck {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** Compiled schemas by their JSON text: a config's schema is compiled once, not per request. */
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "default.jsonSchema";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    @Override
    public CheckOutcome check(CheckContext context, ObjectNode parameters) {
        Schema schema = schema(parameters);
        boolean not = Params.bool(parameters, "not", false);
        List<JsonNode> candidates = JsonCandidates.extract(context.text());
        if (candidates.isEmpty()) {
            ObjectNode data = Explanations.of("No JSON found in the text.");
            data.putArray("validationErrors");
            data.put("not", not);
            return CheckOutcome.of(not, data);
        }
        List<Error> firstErrors = null;
        for (JsonNode candidate : candidates) {
            List<Error> errors = schema.validate(candidate);
            if (errors.isEmpty()) {
                ObjectNode data = Explanations.of("The JSON in the text matches the schema"
                        + (not ? ", which is not allowed." : "."));
                data.set("matchedJson", candidate);
                data.putArray("validationErrors");
                data.put("not", not);
                return CheckOutcome.of(!not, data);
            }
            if (firstErrors == null) {
                firstErrors = errors;
            }
        }
        ObjectNode data = Explanations.of("None of the " + candidates.size()
                + " JSON document(s) in the text matches the schema" + (not ? ", as required." : "."));
        ArrayNode errs = data.putArray("validationErrors");
        for (Error e : firstErrors) {
            errs.addObject().put("path", e.getInstanceLocation().toString()).put("message", e.getMessage());
        }
        data.put("not", not);
        return CheckOutcome.of(not, data);
    }

    private Schema schema(ObjectNode parameters) {
        if (parameters == null || !parameters.path("schema").isObject()) {
            throw new IllegalArgumentException("parameter 'schema' is required (a JSON Schema object)");
        }
        JsonNode node = parameters.get("schema");
        return compiled.computeIfAbsent(Json.text(node), k -> {
            try {
                return REGISTRY.getSchema(node);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("parameter 'schema' is not a valid JSON Schema: " + e.getMessage(), e);
            }
        });
    }
}
