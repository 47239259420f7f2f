package dev.switchboard.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON for every module: one Jackson mapper, private and configured once (so nothing outside can
 * reconfigure it for everyone), with read limits set deliberately rather than left to Jackson's
 * defaults, and a depth check for trees built in code. Callers parse with {@link #parse}, serialise
 * with {@link #bytes}/{@link #text}, build trees with {@link #object}, {@link #array}, {@link #nodes}
 * and {@link #valueToTree}, stream with {@link #parser}/{@link #generator}, and a library that needs an
 * {@link ObjectMapper} of its own (JsonPath) takes a private copy from {@link #newMapper}.
 *
 * <p>Limits on everything the mapper parses (configs, request bodies, provider answers, stream events):
 * <ul>
 *   <li>nesting: at most {@value #MAX_NESTING_DEPTH} levels of objects and arrays — far beyond any
 *       config, request or answer (a tool's JSON schema rarely passes 20), and shallow enough that no
 *       recursive walk over a tree (Jackson's or the gateway's) can overflow a thread's stack;</li>
 *   <li>a document: at most {@value #MAX_DOCUMENT_LENGTH} bytes (256 MiB), a string inside it at most
 *       {@value #MAX_STRING_LENGTH} characters — Jackson's default of 20,000,000 refused legitimate
 *       answers (a 50 MB base64 image); the answer-size cap of the transport is the tighter bound;</li>
 *   <li>a number at most {@value #MAX_NUMBER_LENGTH} digits and a field name at most
 *       {@value #MAX_NAME_LENGTH} characters (Jackson's defaults, stated here).</li>
 * </ul>
 * Trees handed over as {@link JsonNode} never went through a parser: {@link #checkDepth} applies the
 * same nesting limit to them (request bodies, config overrides, provider options, configs).
 */
public final class Json {
    /** The deepest nesting of objects and arrays accepted, parsed or built in code. */
    public static final int MAX_NESTING_DEPTH = 256;
    /** The longest document parsed, in bytes (or characters for text input): 256 MiB. */
    public static final long MAX_DOCUMENT_LENGTH = 256L * 1024 * 1024;
    /** The longest string value parsed, in characters: 256 Mi. */
    public static final int MAX_STRING_LENGTH = 256 * 1024 * 1024;
    /** The longest number parsed, in characters (Jackson's default). */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** The longest field name parsed, in characters (Jackson's default). */
    public static final int MAX_NAME_LENGTH = 50_000;

    /** The shared mapper with the read limits above; private so that no caller can reconfigure it. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            .build());

    /** A pointer longer than this is shortened in messages (a 256-level pointer is kilobytes). */
    private static final int POINTER_SHOWN = 120;

    private Json() {}

    /** {@return a new, empty JSON object} */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@return a new, empty JSON array} */
    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** {@return the node factory for scalar nodes (text, numbers, booleans); it holds no state} */
    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.instance;
    }

    /**
     * Converts a value (a string, number, map, list, record...) to a tree, as the shared mapper
     * serialises it.
     *
     * @param <T>   the node type expected
     * @param value the value; null gives a {@code null} node
     * @return its tree
     * @throws IllegalArgumentException when the value cannot be serialised
     */
    public static <T extends JsonNode> T valueToTree(@Nullable Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * A streaming parser over JSON bytes, with the read limits above; the caller closes it.
     *
     * @param bytes the document (UTF-8)
     * @return a parser positioned before the first token
     * @throws UncheckedIOException when the parser cannot be created
     */
    public static JsonParser parser(byte[] bytes) {
        try {
            return MAPPER.createParser(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A streaming generator writing compact UTF-8 JSON; the caller closes it, which flushes it and
     * closes {@code out} too (Jackson's default).
     *
     * @param out where the JSON goes
     * @return a generator
     * @throws UncheckedIOException when the generator cannot be created
     */
    public static JsonGenerator generator(OutputStream out) {
        try {
            return MAPPER.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new mapper with the same read limits, for a library that takes an {@link ObjectMapper} (such
     * as JsonPath). Each call returns a fresh copy: configuring it changes nothing for anyone else.
     *
     * @return a private copy of the shared mapper
     */
    public static ObjectMapper newMapper() {
        return MAPPER.copy();
    }

    /**
     * Parses JSON text.
     *
     * @param text the document
     * @return its tree
     * @throws IllegalArgumentException for a malformed document, or one past the read limits, naming the problem
     */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON over the gateway's read limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses JSON bytes (UTF-8).
     *
     * @param bytes the document
     * @return its tree
     * @throws IllegalArgumentException for a malformed document, or one past the read limits, naming the problem
     */
    public static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON over the gateway's read limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared mapper's reader, refusing a repeated key and anything after the document. */
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT = MAPPER.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());

    /**
     * Parses JSON bytes (UTF-8) whose tree says everything the bytes say: as {@link #parse(byte[])},
     * but a key repeated in an object, or anything but whitespace after the document, is refused (a
     * lenient parse keeps the last value, or ignores the rest, so the tree would differ from what
     * another reader of the same bytes sees). Bytes parsed this way can be sent in place of their tree.
     *
     * @param bytes the document
     * @return its tree
     * @throws IllegalArgumentException for a malformed document, a repeated key, trailing content, or
     *                                  a document past the read limits, naming the problem
     */
    public static JsonNode parseStrict(byte[] bytes) {
        try {
            return STRICT.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON over the gateway's read limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A document parsed from bytes, with those bytes when they say exactly what the tree says.
     *
     * @param json   the tree
     * @param source the bytes, when a strict parse ({@link #parseStrict(byte[])}) accepted them; null when
     *               only the lenient parse did (a repeated key, trailing content): then only the tree counts
     */
    public record Parsed(JsonNode json, byte @Nullable [] source) {}

    /**
     * Parses {@code bytes} strictly when it can, else leniently: what a server or SDK binding that has
     * the caller's bytes needs before {@code GatewayRequest.Builder.body(JsonNode, byte[])}, so the
     * bytes are sent as they are only when the tree says everything they say.
     *
     * @param bytes the UTF-8 document, not copied
     * @return the tree, with {@code bytes} as its source when the strict parse accepted them
     * @throws IllegalArgumentException when even the lenient parse refuses the document, naming the problem
     */
    public static Parsed parseKeepingSource(byte[] bytes) {
        try {
            return new Parsed(parseStrict(bytes), bytes);
        } catch (IllegalArgumentException notExact) {
            return new Parsed(parse(bytes), null);
        }
    }

    /** The strict reader building trees that remember their bytes ({@link SourcedJson}). */
    private static final com.fasterxml.jackson.databind.ObjectReader TRACKED = STRICT.with(SourcedJson.FACTORY);

    /**
     * Parses JSON bytes (UTF-8) into a tree that remembers them: until anything in the tree changes,
     * {@link #sourceOf(JsonNode)} gives these bytes back for its root, so an answer passed on untouched
     * is written as it came instead of serialised again. Parsed strictly (as {@link #parseStrict(byte[])})
     * when it can; a document only the lenient parse accepts (a repeated key, trailing content) is
     * parsed as {@link #parse(byte[])} does and remembers nothing, since its tree says less than its bytes.
     *
     * @param bytes the document, not copied: the caller does not change it afterwards
     * @return its tree
     * @throws IllegalArgumentException for a malformed document or one past the read limits, naming the problem
     */
    public static JsonNode parseTracked(byte[] bytes) {
        SourcedJson.Tracker tracker = new SourcedJson.Tracker(bytes);
        try {
            return SourcedJson.parse(tracker, () -> TRACKED.readTree(bytes));
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON over the gateway's read limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException notStrict) {
            return parse(bytes); // malformed: throws naming the problem; repeated key or trailing content: no source
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes a tree was parsed from by {@link #parseTracked(byte[])}, when {@code root} is that tree's
     * root and nothing in the tree has changed since; else null. They say exactly what the tree says,
     * in the writer's own formatting (whitespace, escapes, number spelling).
     *
     * @param root a tree
     * @return its source bytes, not copied (do not change them), or null
     */
    public static byte @Nullable [] sourceOf(JsonNode root) {
        return SourcedJson.sourceOf(root);
    }

    /**
     * Parses JSON text as {@link #parseStrict(byte[])} does: a repeated key or trailing content is refused.
     *
     * @param text the document
     * @return its tree
     * @throws IllegalArgumentException for a malformed document, a repeated key, trailing content, or
     *                                  a document past the read limits, naming the problem
     */
    public static JsonNode parseStrict(String text) {
        try {
            return STRICT.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("JSON over the gateway's read limits: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Serialises a tree.
     *
     * @param node the tree
     * @return compact UTF-8 JSON
     */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serialises a tree.
     *
     * @param node the tree
     * @return compact JSON text
     */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How deeply a tree nests, without recursion (so any depth can be measured).
     *
     * @param node the tree; null counts as a scalar
     * @return 0 for a scalar, 1 for an object or array of scalars (or an empty one), and so on
     */
    public static int depth(@Nullable JsonNode node) {
        if (node == null || !node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        ArrayDeque<Frame> todo = new ArrayDeque<>();
        todo.push(new Frame(node, 1, null, null));
        while (!todo.isEmpty()) {
            Frame f = todo.pop();
            deepest = Math.max(deepest, f.level);
            pushChildren(f, todo);
        }
        return deepest;
    }

    /**
     * Refuses a tree nested deeper than {@value #MAX_NESTING_DEPTH} levels, the limit parsed input has.
     * Runs without recursion and stops at the first container past the limit.
     *
     * @param node the tree, e.g. a request body built in code; null passes
     * @param what what the tree is, for the message, e.g. {@code request body}
     * @throws IllegalArgumentException naming {@code what}, the limit and the JSON pointer (shortened)
     *                                  where the limit was passed
     */
    public static void checkDepth(@Nullable JsonNode node, String what) {
        String beyond = pointerBeyond(node, MAX_NESTING_DEPTH);
        if (beyond != null) {
            throw new IllegalArgumentException(
                    what + " nests deeper than " + MAX_NESTING_DEPTH + " levels (at " + shortPointer(beyond)
                            + "); at most " + MAX_NESTING_DEPTH + " levels of objects and arrays are accepted");
        }
    }

    /**
     * The JSON pointer of the first object or array nested deeper than {@code limit} levels.
     *
     * @param node  the tree; null has none
     * @param limit the most levels allowed; the root object or array is level 1
     * @return the pointer (RFC 6901) of a container at level {@code limit + 1}, or null when the tree is
     *         within the limit
     */
    public static @Nullable String pointerBeyond(@Nullable JsonNode node, int limit) {
        if (node == null || !node.isContainerNode()) {
            return null;
        }
        ArrayDeque<Frame> todo = new ArrayDeque<>();
        todo.push(new Frame(node, 1, null, null));
        while (!todo.isEmpty()) {
            Frame f = todo.pop();
            if (f.level > limit) {
                return f.pointer();
            }
            pushChildren(f, todo);
        }
        return null;
    }

    /**
     * A JSON pointer for a message: whole when short, else its start, an ellipsis and how many levels
     * down it goes (a pointer 256 levels deep is kilobytes long).
     *
     * @param pointer the pointer
     * @return it, or its first 120 characters and {@code "… (N levels down)"}
     */
    public static String shortPointer(String pointer) {
        if (pointer.length() <= POINTER_SHOWN) {
            return pointer;
        }
        long levels = pointer.chars().filter(c -> c == '/').count();
        return pointer.substring(0, POINTER_SHOWN) + "… (" + levels + " levels down)";
    }

    private static void pushChildren(Frame f, ArrayDeque<Frame> todo) {
        if (f.node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = f.node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) {
                    todo.push(new Frame(e.getValue(), f.level + 1, f, e.getKey()));
                }
            }
        } else {
            for (int i = 0; i < f.node.size(); i++) {
                JsonNode child = f.node.get(i);
                if (child.isContainerNode()) {
                    todo.push(new Frame(child, f.level + 1, f, Integer.toString(i)));
                }
            }
        }
    }

    /** A container on the walk, with the way back to the root for its pointer. */
    private static final class Frame {
        final JsonNode node;
        final int level;
        final Frame parent;
        final String token;

        Frame(JsonNode node, int level, Frame parent, String token) {
            this.node = node;
            this.level = level;
            this.parent = parent;
            this.token = token;
        }

        String pointer() {
            ArrayDeque<String> tokens = new ArrayDeque<>();
            for (Frame f = this; f.parent != null; f = f.parent) {
                tokens.push(f.token.replace("~", "~0").replace("/", "~1"));
            }
            StringBuilder sb = new StringBuilder();
            tokens.forEach(t -> sb.append('/').append(t));
            return sb.toString();
        }
    }
}
