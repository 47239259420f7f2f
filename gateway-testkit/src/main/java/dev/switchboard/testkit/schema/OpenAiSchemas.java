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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates what the gateway returns against OpenAI's own OpenAPI description, so provider
 * translations are checked against the real schema rather than a hand-written copy. The spec ships
 * inside this jar (classpath resource {@value #SPEC_RESOURCE}, from {@code openai/openai-openapi},
 * MIT, licence beside it); nothing is read from the file system unless you pass a file to
 * {@link #load(Path)}.
 *
 * <pre>{@code
 * List<String> problems = OpenAiSchemas.shared().validate("CreateChatCompletionResponse", body);
 * assertTrue(problems.isEmpty(), problems.toString());
 * }</pre>
 *
 * <p>The spec's component schemas are JSON Schema 2020-12 with a few OpenAPI 3.0 leftovers; on load
 * every {@code #/components/schemas/X} reference is rewritten to {@code #/$defs/X} and every
 * {@code nullable: true} becomes {@code anyOf: [<schema>, {type: "null"}]}, and boolean
 * {@code exclusiveMinimum/Maximum} become numeric bounds. Any other OpenAPI document's component
 * schemas load the same way. Thread-safe.
 */
public final class OpenAiSchemas {
    /** Classpath location of the bundled OpenAI spec ({@code openapi.yaml} of openai/openai-openapi). */
    public static final String SPEC_RESOURCE = "/dev/switchboard/testkit/schema/openai-openapi.yaml";

    private static volatile OpenAiSchemas shared;

    private final ObjectNode defs;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenAiSchemas(ObjectNode defs) {
        this.defs = defs;
    }

    /**
     * {@return the bundled OpenAI spec ({@link #SPEC_RESOURCE}), loaded from the classpath once per JVM}
     *
     * @throws IllegalStateException when the spec is missing from the classpath (an incomplete jar)
     */
    public static OpenAiSchemas shared() {
        OpenAiSchemas s = shared;
        if (s == null) {
            synchronized (OpenAiSchemas.class) {
                s = shared;
                if (s == null) {
                    s = loadBundled();
                    shared = s;
                }
            }
        }
        return s;
    }

    private static OpenAiSchemas loadBundled() {
        try (InputStream in = OpenAiSchemas.class.getResourceAsStream(SPEC_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the OpenAI spec is not on the classpath at " + SPEC_RESOURCE
                                + "; it ships inside the gateway-testkit jar, so this jar is incomplete or was repackaged without it");
            }
            return load(in, "classpath:" + SPEC_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAI spec at classpath:" + SPEC_RESOURCE, e);
        }
    }

    /**
     * Loads the OpenAPI document (YAML or JSON) at {@code specFile}, e.g. a newer OpenAI spec than the bundled one.
     *
     * @param specFile the OpenAPI document, e.g. OpenAI's {@code openapi.yaml}
     * @return its component schemas, ready to validate against
     * @throws java.io.UncheckedIOException when the file cannot be read or parsed
     * @throws IllegalArgumentException     when the document has no {@code components.schemas} object
     */
    public static OpenAiSchemas load(Path specFile) {
        try (InputStream in = Files.newInputStream(specFile)) {
            return load(in, specFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenAPI document " + specFile, e);
        }
    }

    /**
     * Loads an OpenAPI document (YAML or JSON) from {@code in}, e.g. a classpath resource; the stream
     * is read to its end and closed.
     *
     * @param in the OpenAPI document
     * @return its component schemas, ready to validate against
     * @throws java.io.UncheckedIOException when the stream cannot be read or parsed
     * @throws IllegalArgumentException     when the document has no {@code components.schemas} object
     */
    public static OpenAiSchemas load(InputStream in) {
        return load(in, "the given stream");
    }

    private static OpenAiSchemas load(InputStream in, String source) {
        JsonNode doc;
        try {
            // YAML 1.1 is a superset of JSON here, so one parser reads both
            doc = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse OpenAPI document " + source, e);
        }
        JsonNode schemas = doc == null ? null : doc.path("components").path("schemas");
        if (schemas == null || !schemas.isObject()) {
            throw new IllegalArgumentException("OpenAPI document " + source + " has no components.schemas object");
        }
        return new OpenAiSchemas((ObjectNode) toJsonSchema(schemas));
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
