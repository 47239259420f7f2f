package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * An answer parsed with {@link Json#parseTracked} gives its bytes back only while its tree is
 * unchanged: whenever {@link Json#sourceOf} returns bytes, they parse to a tree equal to the one in
 * hand.
 */
class SourcedJsonTest {
    private static final String DOC =
            """
            {
              "id": "chatcmpl-1", "object": "chat.completion",
              "choices": [ { "index": 0, "message": { "role": "assistant", "content": "caf\\u00e9" } } ],
              "usage": { "prompt_tokens": 3, "completion_tokens": 1.50e1 }
            }""";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUnchangedTreeGivesBackItsOwnBytesAndTheResponseWritesThem() {
        byte[] source = bytes(DOC);
        JsonNode tree = Json.parseTracked(source);
        assertSame(source, Json.sourceOf(tree));
        assertEquals("café", tree.at("/choices/0/message/content").asText());
        // reading does not count as a change
        tree.properties().forEach(e -> e.getValue().size());
        tree.at("/choices").elements().forEachRemaining(JsonNode::size);
        assertEquals(tree, Json.parse(source));
        assertSame(source, Json.sourceOf(tree));

        GatewayResponse r = GatewayResponse.ofJson(200, Map.of(), tree, null);
        assertArrayEquals(source, r.bytes()); // the provider's formatting kept
        ((ObjectNode) tree).put("system_fingerprint", "fp");
        assertEquals(Json.text(tree), new String(r.bytes(), StandardCharsets.UTF_8)); // changed: serialised
    }

    @Test
    void everyKindOfChangeForgetsTheBytes() {
        List<Consumer<JsonNode>> changes = List.of(
                t -> ((ObjectNode) t).put("x", 1),
                t -> ((ObjectNode) t).remove("id"),
                t -> ((ObjectNode) t.at("/usage")).removeAll(),
                t -> ((ObjectNode) t).retain("id"),
                t -> ((ObjectNode) t).without(List.of("object")),
                t -> ((ObjectNode) t.at("/choices/0/message")).put("content", "other"),
                t -> ((ArrayNode) t.at("/choices")).add(1),
                t -> ((ArrayNode) t.at("/choices")).remove(0),
                t -> ((ArrayNode) t.at("/choices")).set(0, Json.object()),
                t -> ((ArrayNode) t.at("/choices")).removeAll(),
                t -> {
                    Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator();
                    it.next();
                    it.remove();
                },
                t -> t.properties().iterator().next().setValue(Json.object()),
                t -> {
                    Iterator<JsonNode> it = t.at("/choices").elements();
                    it.next();
                    it.remove();
                },
                t -> ((ObjectNode) t).putObject("nested"),
                t -> ((ObjectNode) t).setAll(Map.of("a", Json.object())));
        for (int i = 0; i < changes.size(); i++) {
            JsonNode tree = Json.parseTracked(bytes(DOC));
            changes.get(i).accept(tree);
            assertNull(Json.sourceOf(tree), "change " + i + " kept the bytes");
        }
    }

    @Test
    void onlyTheRootOfAStrictParseHasBytes() {
        JsonNode tree = Json.parseTracked(bytes(DOC));
        assertNull(Json.sourceOf(tree.get("usage")));
        JsonNode copy = tree.deepCopy();
        assertNull(Json.sourceOf(copy));
        ((ObjectNode) copy).put("changed", true);
        assertNotNull(Json.sourceOf(tree)); // a copy's changes are not the original's
        // a repeated key: the tree says less than the bytes, so they are not kept
        JsonNode dup = Json.parseTracked(bytes("{\"a\":1,\"a\":2}"));
        assertEquals(2, dup.get("a").asInt());
        assertNull(Json.sourceOf(dup));
        assertNull(Json.sourceOf(Json.parseTracked(bytes("{\"a\":1} {}"))));
        assertNull(Json.sourceOf(Json.parse(bytes(DOC))));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.parseTracked(bytes("{\"a\":")));
        assertEquals(true, e.getMessage().startsWith("malformed JSON"), e.getMessage());
    }

    /** Random documents, random edits: bytes given back always parse to the tree in hand. */
    @Test
    void bytesGivenBackAlwaysSayWhatTheTreeSays() {
        Random random = new Random(16);
        int unchangedChecked = 0;
        for (int round = 0; round < 600; round++) {
            JsonNode doc = randomObject(random, 0);
            String text = random.nextBoolean() ? Json.text(doc) : doc.toPrettyString();
            JsonNode tree = Json.parseTracked(bytes(text));
            int edits = random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                randomEdit(random, tree);
            }
            byte[] source = Json.sourceOf(tree);
            if (source != null) {
                assertEquals(Json.parse(source), tree, "round " + round);
            }
            if (edits == 0) {
                assertNotNull(source, "round " + round);
                unchangedChecked++;
            }
        }
        assertEquals(true, unchangedChecked > 100, "unchanged documents checked: " + unchangedChecked);
    }

    private static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = Json.object();
        int n = r.nextInt(4) + (depth == 0 ? 1 : 0);
        for (int i = 0; i < n; i++) {
            o.set("k" + r.nextInt(6), randomValue(r, depth + 1));
        }
        return o;
    }

    private static JsonNode randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> Json.nodes().textNode("t" + r.nextInt(100));
            case 1 -> Json.nodes().numberNode(r.nextInt(1000));
            case 2 -> Json.nodes().booleanNode(r.nextBoolean());
            case 3 -> Json.nodes().nullNode();
            case 4 -> randomObject(r, depth);
            default -> {
                ArrayNode a = Json.array();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
        };
    }

    /** One edit somewhere in the tree; some of them change nothing's value (setting what is there). */
    private static void randomEdit(Random r, JsonNode root) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode c = containers.get(r.nextInt(containers.size()));
        if (c instanceof ObjectNode o) {
            Set<String> names = new java.util.HashSet<>();
            o.fieldNames().forEachRemaining(names::add);
            switch (r.nextInt(4)) {
                case 0 -> o.put("k" + r.nextInt(6), r.nextInt(3));
                case 1 -> o.remove("k" + r.nextInt(6));
                case 2 -> o.set("k" + r.nextInt(6), randomValue(r, 3));
                default -> {
                    if (!names.isEmpty()) {
                        String name = names.iterator().next();
                        o.set(name, o.get(name)); // the same value again: still counted as a change
                    }
                }
            }
        } else if (c instanceof ArrayNode a) {
            switch (r.nextInt(3)) {
                case 0 -> a.add(r.nextInt(5));
                case 1 -> {
                    if (!a.isEmpty()) {
                        a.remove(r.nextInt(a.size()));
                    }
                }
                default -> a.insert(0, Json.nodes().textNode("x"));
            }
        }
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.elements().forEachRemaining(c -> collect(c, out));
        }
    }
}
