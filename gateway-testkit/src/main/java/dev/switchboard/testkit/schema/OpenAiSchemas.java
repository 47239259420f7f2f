package dev.switchboard.testkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates what the gateway returns against OpenAI's own OpenAPI description
 * ({@code specs/openai/openapi.yaml}), so provider translations are checked against the real
 * schema rather than a hand-written copy.
 *
 * <pre>{@code
 * List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", body);
 * assertTrue(problems.isEmpty(), problems.toString());
 * }</pre>
 *
 * <p>The spec's component schemas are JSON Schema 2020-12 with a few OpenAPI 3.0 leftovers; on load
 * every {@code #/components/schemas/X} reference is rewritten to {@code #/$defs/X} and every
 * {@code nullable: true} becomes {@code anyOf: [<schema>, {type: "null"}]}, and boolean
 * {@code exclusiveMinimum/Maximum} become numeric bounds. Thread-safe.
 */
public final class OpenAiSchemas {
    /** The spec file, relative to a folder that holds {@code shared/} (the work root, or CI's parent folder). */
    public static final String SPEC_RELATIVE_PATH = "shared/specs/openai/openapi.yaml";

    private static volatile OpenAiSchemas shared;

    private final ObjectNode defs;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenAiSchemas(ObjectNode defs) {
        this.defs = defs;
    }

    /** {@return the spec found by {@link #findSpec()}, loaded once per JVM} */
    public static OpenAiSchemas shared() {
        OpenAiSchemas s = shared;
        if (s == null) {
            synchronized (OpenAiSchemas.class) {
                s = shared;
                if (s == null) {
                    s = load(findSpec());
                    shared = s;
                }
            }
        }
        return s;
    }

    /**
     * Loads an OpenAPI document.
     *
     * @param specFile OpenAI's {@code openapi.yaml}
     * @return its component schemas, ready to validate against
     */
    public static OpenAiSchemas load(Path specFile) {
        JsonNode doc;
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(specFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAI spec " + specFile, e);
        }
        JsonNode schemas = doc.path("components").path("schemas");
        if (!schemas.isObject()) {
            throw new IllegalArgumentException(specFile + " has no components.schemas");
        }
        return new OpenAiSchemas((ObjectNode) toJsonSchema(schemas));
    }

    /**
     * Finds {@code shared/specs/openai/openapi.yaml} by walking up from the working directory; the
     * system property {@code sb.openaiSpec} overrides.
     *
     * @return the spec file
     */
    public static Path findSpec() {
        String explicit = System.getProperty("sb.openaiSpec");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(SPEC_RELATIVE_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        Path fallback = Path.of("/work").resolve(SPEC_RELATIVE_PATH);
        if (Files.isRegularFile(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("cannot find " + SPEC_RELATIVE_PATH + " above " + Path.of("").toAbsolutePath()
                + "; set -Dsb.openaiSpec=<path to openapi.yaml>");
    }

    /**
     * Whether a component schema exists.
     *
     * @param schemaName e.g. {@code CreateEmbeddingResponse}
     * @return true when the spec defines a component schema with this name
     */
    public boolean has(String schemaName) {
        return defs.has(schemaName);
    }

    /**
     * Validates {@code instance} against the component schema {@code schemaName}
     * (e.g. {@code CreateChatCompletionResponse}); returns one line per problem, empty when valid.
     *
     * @param schemaName the component schema
     * @param instance   the JSON to check
     * @return one line per problem; empty when valid
     */
    public List<String> validate(String schemaName, JsonNode instance) {
        if (!defs.has(schemaName)) {
            throw new IllegalArgumentException("no schema named " + schemaName + " in the OpenAI spec");
        }
        Schema schema = compiled.computeIfAbsent(schemaName, this::compile);
        List<String> problems = new ArrayList<>();
        for (Error e : schema.validate(instance)) {
            problems.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return problems;
    }

    private Schema compile(String name) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
        root.put("$ref", "#/$defs/" + name);
        root.set("$defs", defs);
        return registry.getSchema(root);
    }

    /** OpenAPI 3.0 wrote {@code exclusiveMinimum: true} beside {@code minimum}; 2020-12 wants the bound itself. */
    private static void fixBooleanExclusiveBound(ObjectNode schema, String exclusiveKey, String boundKey) {
        JsonNode flag = schema.get(exclusiveKey);
        if (flag == null || !flag.isBoolean()) {
            return;
        }
        schema.remove(exclusiveKey);
        JsonNode bound = schema.get(boundKey);
        if (flag.asBoolean() && bound != null && bound.isNumber()) {
            schema.remove(boundKey);
            schema.set(exclusiveKey, bound);
        }
    }

    /** Copies an OpenAPI schema tree into plain JSON Schema 2020-12 (refs to $defs, nullable to anyOf). */
    static JsonNode toJsonSchema(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(toJsonSchema(n)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        boolean nullable = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            JsonNode value = f.getValue();
            if (key.equals("nullable")) {
                nullable = value.asBoolean(false);
            } else if (key.equals("$ref") && value.isTextual()) {
                out.put("$ref", value.asText().replace("#/components/schemas/", "#/$defs/"));
            } else {
                out.set(key, toJsonSchema(value));
            }
        }
        fixBooleanExclusiveBound(out, "exclusiveMinimum", "minimum");
        fixBooleanExclusiveBound(out, "exclusiveMaximum", "maximum");
        if (!nullable) {
            return out;
        }
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        ArrayNode anyOf = wrapped.putArray("anyOf");
        anyOf.add(out);
        anyOf.addObject().put("type", "null");
        return wrapped;
    }
}
