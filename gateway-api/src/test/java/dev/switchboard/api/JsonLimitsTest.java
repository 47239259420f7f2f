package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Issue 15, defects 4 and 8: the shared mapper's read limits and the depth check for trees built in code. */
class JsonLimitsTest {
    /** {"a":{"a":…{"a":1}…}} with {@code depth} objects. */
    static ObjectNode nested(int depth) {
        ObjectNode root = Json.object();
        ObjectNode n = root;
        for (int i = 1; i < depth; i++) {
            n = n.putObject("a");
        }
        n.put("a", 1);
        return root;
    }

    private static String nestedText(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    @Test
    void parsedInputMayNestUpToTheDocumentedDepthAndNoFurther() {
        assertEquals(1, Json.parse(nestedText(Json.MAX_NESTING_DEPTH)).size());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.parse(nestedText(Json.MAX_NESTING_DEPTH + 1)));
        assertTrue(e.getMessage().contains("nesting depth") && e.getMessage().contains("256"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Json.parse(nestedText(5000).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aFiftyMegabyteStringIsReadWhichJacksonsDefaultRefuses() {
        char[] fifty = new char[50 * 1024 * 1024];
        Arrays.fill(fifty, 'x');
        String doc = "{\"b64_json\":\"" + new String(fifty) + "\"}";
        JsonNode n = Json.parse(doc.getBytes(StandardCharsets.US_ASCII));
        assertEquals(fifty.length, n.path("b64_json").asText().length());
    }

    @Test
    void theReadLimitsAreSetOnTheSharedMapper() throws Exception {
        StreamReadConstraints c;
        try (JsonParser p = Json.parser(new byte[0])) {
            c = p.streamReadConstraints();
        }
        assertEquals(Json.MAX_NESTING_DEPTH, c.getMaxNestingDepth());
        assertEquals(Json.MAX_STRING_LENGTH, c.getMaxStringLength());
        assertEquals(Json.MAX_DOCUMENT_LENGTH, c.getMaxDocumentLength());
        assertEquals(256, Json.MAX_NESTING_DEPTH);
        assertEquals(256L * 1024 * 1024, Json.MAX_DOCUMENT_LENGTH);
        assertEquals(256 * 1024 * 1024, Json.MAX_STRING_LENGTH);
    }

    @Test
    void theSharedMapperCannotBeReachedFromOutside() {
        for (Field f : Json.class.getFields()) {
            assertFalse(
                    ObjectMapper.class.isAssignableFrom(f.getType()) || JsonFactory.class.isAssignableFrom(f.getType()),
                    "public mutable Jackson field " + f);
        }
        assertThrows(NoSuchFieldException.class, () -> Json.class.getField("MAPPER"));
    }

    @Test
    void aCopyOfTheMapperHasTheLimitsAndReconfiguringItChangesNothingShared() {
        ObjectMapper copy = Json.newMapper();
        assertEquals(
                Json.MAX_NESTING_DEPTH,
                copy.getFactory().streamReadConstraints().getMaxNestingDepth());
        assertEquals(
                Json.MAX_STRING_LENGTH,
                copy.getFactory().streamReadConstraints().getMaxStringLength());
        copy.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(1).build());
        assertThrows(Exception.class, () -> copy.readTree("[[1]]"));
        assertEquals(2, Json.depth(Json.parse("[[1]]")), "the shared mapper keeps its limits");
        assertEquals(
                Json.MAX_NESTING_DEPTH,
                Json.newMapper().getFactory().streamReadConstraints().getMaxNestingDepth());
    }

    @Test
    void depthOfATreeIsMeasuredWithoutRecursion() {
        assertEquals(1, Json.depth(Json.object()));
        assertEquals(0, Json.depth(Json.nodes().numberNode(1)));
        assertEquals(3, Json.depth(Json.parse("{\"a\":[{\"b\":1}],\"c\":2}")));
        assertEquals(50_000, Json.depth(nested(50_000)), "no StackOverflowError however deep");
        ArrayNode wide = Json.array();
        for (int i = 0; i < 10_000; i++) {
            wide.addArray().add(i);
        }
        assertEquals(2, Json.depth(wide));
    }

    @Test
    void checkDepthNamesTheLimitAndWhereItWasPassed() {
        Json.checkDepth(nested(Json.MAX_NESTING_DEPTH), "request body");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.checkDepth(nested(5000), "request body"));
        assertTrue(e.getMessage().startsWith("request body nests deeper than 256 levels (at /a/a/a/"), e.getMessage());
        assertTrue(
                e.getMessage().length() < 400,
                "the pointer is shortened: " + e.getMessage().length());
        assertEquals("/a/a/a", Json.pointerBeyond(nested(10), 3));
    }
}
