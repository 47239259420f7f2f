package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.CheckOutcome;
import dev.switchboard.spi.GuardrailCheck;
import dev.switchboard.spi.HookEvent;
import dev.switchboard.spi.ParameterProblem;
import dev.switchboard.spi.PreparedCheck;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code default.jsonSchema} (after-request): passes when some JSON document in the answer (see
 * {@link JsonCandidates}: fenced blocks, or bare objects when there is no fence) validates against
 * {@code schema} (JSON Schema draft 2020-12 unless the schema's {@code $schema} says otherwise,
 * formats asserted); {@code not} inverts. As in Portkey, an answer without JSON fails whatever
 * {@code not} says, and so does one whose first parsed document is {@code null}, {@code 0},
 * {@code false} or {@code ""} when none validates. {@code data.validationErrors} lists
 * {@code {path, message}} for the first candidate when none validates. The schema is compiled
 * once, when the gateway is built, and checked against its draft's meta-schema (bundled, never
 * fetched), so {@code {"type": "strin"}} is a config error at {@code .../schema/type}. Remote
 * {@code $ref}s are never fetched (a config must not make the gateway call out): a reference that
 * can only be remote, or a local {@code #/...} one that points nowhere, is a config error too.
 *
 * <pre>{@code {"id": "default.jsonSchema", "parameters": {"schema": {"type": "object", "required": ["name"]}}}}</pre>
 */
public final class JsonSchemaCheck implements GuardrailCheck {
    /** Formats are asserted, as Portkey's validator ({@code @cfworker/json-schema}) does. */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    /** Meta-schemas by draft, loaded from the validator's bundled copies on first use. */
    private static final Map<SpecificationVersion, Schema> META_SCHEMAS = new ConcurrentHashMap<>();
    /** Keywords whose values are data, not subschemas: a {@code $ref} key inside them is not a reference. */
    private static final Set<String> DATA_KEYWORDS = Set.of("const", "enum", "examples", "default");

    /** The prepared parameters. */
    private record Settings(Schema schema, boolean not) {}

    @Override
    public String id() {
        return "default.jsonSchema";
    }

    @Override
    public Set<HookEvent> supportedEvents() {
        return Set.of(HookEvent.AFTER_REQUEST);
    }

    /** Checks and compiles {@code schema} and reads {@code not} once. */
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
        ParameterReader p = new ParameterReader(id(), parameters, "schema", "not");
        boolean not = p.bool("not", false);
        Schema schema = schema(p);
        p.throwIfInvalid();
        return new Settings(schema, not);
    }

    private static Schema schema(ParameterReader p) {
        JsonNode node = p.get("schema");
        if (node == null || !node.isObject()) {
            p.problem("schema", ParameterReader.found(node), "a JSON Schema object (required)");
            return null;
        }
        int before = p.problemCount();
        Optional<SpecificationVersion> version = node.has("$schema")
                ? SpecificationVersion.fromDialectId(node.path("$schema").asText())
                : Optional.of(SpecificationVersion.DRAFT_2020_12);
        if (version.isEmpty()) {
            p.problem(
                    ParameterProblem.path("schema", "$schema"),
                    ParameterReader.found(node.get("$schema")),
                    "the id of a JSON Schema draft the gateway knows (draft-04, -06, -07, 2019-09, 2020-12)");
            return null;
        }
        metaValidate(p, node, version.get());
        references(p, node);
        if (p.problemCount() > before) {
            return null;
        }
        try {
            return REGISTRY.getSchema(node);
        } catch (RuntimeException e) {
            p.problem("schema", "a schema that does not compile (" + e.getMessage() + ")", "a valid JSON Schema");
            return null;
        }
    }

    /** One problem per place in the schema that its draft's meta-schema rejects. */
    private static void metaValidate(ParameterReader p, JsonNode schema, SpecificationVersion version) {
        Schema meta =
                META_SCHEMAS.computeIfAbsent(version, v -> REGISTRY.getSchema(SchemaLocation.of(v.getDialectId())));
        Set<String> reported = new HashSet<>();
        for (Error e : meta.validate(schema)) {
            NodePath location = e.getInstanceLocation();
            Object[] segments = new Object[location.getNameCount() + 1];
            segments[0] = "schema";
            JsonNode value = schema;
            for (int i = 0; i < location.getNameCount(); i++) {
                Object element = location.getElement(i);
                segments[i + 1] = element;
                value = element instanceof Integer index ? value.path(index) : value.path(String.valueOf(element));
            }
            String parameter = ParameterProblem.path(segments);
            if (reported.add(parameter)) {
                p.problem(
                        parameter,
                        ParameterReader.found(value),
                        "a value valid in JSON Schema "
                                + version.name()
                                        .toLowerCase(Locale.ROOT)
                                        .replace("draft_", "draft ")
                                        .replace('_', '-')
                                + " (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * Without any {@code $id} a reference is either a local pointer ({@code #/$defs/name}), which must
     * resolve in the schema, or remote, which is never fetched. With an {@code $id} somewhere the base
     * URI changes and the compiler's own resolution is left to decide.
     */
    private static void references(ParameterReader p, JsonNode schema) {
        List<String[]> refs = new ArrayList<>();
        if (collectRefs(schema, new ArrayList<>(), refs)) {
            return;
        }
        for (String[] ref : refs) {
            String target = ref[1];
            String parameter = "schema" + (ref[0].isEmpty() ? "" : "/" + ref[0]) + "/$ref";
            if (!target.startsWith("#")) {
                p.problem(
                        parameter,
                        ParameterReader.found(TextNode.valueOf(target)),
                        "a reference inside the schema (#/$defs/...): remote schemas are never fetched");
            } else if (target.startsWith("#/") || target.equals("#")) {
                String pointer = URLDecoder.decode(target.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
                boolean resolves;
                try {
                    resolves = !schema.at(pointer).isMissingNode();
                } catch (IllegalArgumentException bad) {
                    resolves = false;
                }
                if (!resolves) {
                    p.problem(
                            parameter,
                            ParameterReader.found(TextNode.valueOf(target)),
                            "a reference to a place in the schema (nothing is at " + pointer + ")");
                }
            }
        }
    }

    /** Collects {@code [location, $ref]} pairs; returns true as soon as an {@code $id} is seen. */
    private static boolean collectRefs(JsonNode node, List<String> location, List<String[]> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String key = e.getKey();
                JsonNode value = e.getValue();
                if (key.equals("$id") && value.isTextual()) {
                    return true;
                }
                if (key.equals("$ref") && value.isTextual()) {
                    into.add(new String[] {ParameterProblem.path(location.toArray()), value.asText()});
                    continue;
                }
                if (DATA_KEYWORDS.contains(key)) {
                    continue;
                }
                location.add(key);
                boolean hasId = collectRefs(value, location, into);
                location.remove(location.size() - 1);
                if (hasId) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                location.add(String.valueOf(i));
                boolean hasId = collectRefs(node.get(i), location, into);
                location.remove(location.size() - 1);
                if (hasId) {
                    return true;
                }
            }
        }
        return false;
    }

    private static CheckOutcome evaluate(CheckContext context, Settings settings) {
        Schema schema = settings.schema();
        boolean not = settings.not();
        List<JsonNode> candidates = JsonCandidates.extract(PortkeyText.text(context), true);
        if (candidates.isEmpty()) {
            ObjectNode data = Json.object();
            data.put("explanation", "No valid JSON found in the response.");
            data.put("not", not);
            return CheckOutcome.fail(data);
        }
        JsonNode best = null;
        List<Error> bestErrors = List.of();
        boolean valid = false;
        for (JsonNode candidate : candidates) {
            List<Error> errors = schema.validate(candidate);
            boolean ok = errors.isEmpty();
            // Portkey keeps a candidate when it is valid or nothing is kept yet (a kept JSON null counts as nothing)
            if (ok || best == null || best.isNull()) {
                best = candidate;
                bestErrors = errors;
                valid = ok;
            }
            if (ok) {
                break;
            }
        }
        if (!JsText.truthy(best)) {
            // Portkey reports nothing when the kept value is falsy (null, 0, false, "")
            return CheckOutcome.fail(null);
        }
        boolean verdict = valid != not;
        ObjectNode data = Json.object();
        data.set("matchedJson", best);
        data.put("not", not);
        data.put(
                "explanation",
                verdict
                        ? not
                                ? "Successfully validated JSON does not match the schema as expected."
                                : "Successfully validated JSON against the provided schema."
                        : not
                                ? "JSON matches the schema when it should not."
                                : "Failed to validate JSON against the provided schema.");
        ArrayNode errs = data.putArray("validationErrors");
        for (Error e : bestErrors) {
            errs.addObject().put("path", e.getInstanceLocation().toString()).put("message", e.getMessage());
        }
        return CheckOutcome.of(verdict, data);
    }
}
