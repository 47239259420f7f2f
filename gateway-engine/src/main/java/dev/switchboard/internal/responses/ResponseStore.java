package dev.switchboard.internal.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.StateStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Responses API answers the gateway produced itself (on a translated target), kept in the
 * gateway's {@link StateStore} under {@code responses:<resp id>} for the retention: the response
 * object and its input items (the whole conversation it answered), so {@code previous_response_id},
 * {@code GET /v1/responses/{id}}, {@code DELETE} and {@code input_items} work across providers — and,
 * on a shared store, across JVMs. A store failure is logged and the answer is served unstored.
 */
public final class ResponseStore {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseStore.class);
    private static final String PREFIX = "responses:";
    private static final Pattern CALL = Pattern.compile("^/v1/responses/(resp_[A-Za-z0-9]+)(/input_items)?/?$");

    /** The default retention: one day (OpenAI keeps 30 days; an in-memory store holds answers in the heap). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    private final StateStore store;
    private final Duration retention;

    /**
     * A store of answers.
     *
     * @param store     where they live
     * @param retention how long; zero keeps nothing
     */
    public ResponseStore(StateStore store, Duration retention) {
        this.store = Objects.requireNonNull(store, "store");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** {@return whether answers are kept at all (a positive retention)} */
    public boolean enabled() {
        return !retention.isZero() && !retention.isNegative();
    }

    /**
     * Keeps a response with the input items it answered.
     *
     * @param response the response object
     * @param input    the input items (ids are given to those without one)
     */
    public void save(ObjectNode response, ArrayNode input) {
        if (!enabled()) {
            return;
        }
        ObjectNode rec = Json.object();
        rec.set("response", response);
        ArrayNode items = rec.putArray("input");
        for (JsonNode item : input) {
            ObjectNode copy = (ObjectNode) item.deepCopy();
            if (!copy.path("id").isTextual()) {
                copy.put("id", ResponsesIds.item(idPrefix(copy.path("type").asText("message"))));
            }
            if (!copy.has("type")) {
                copy.put("type", "message");
            }
            if ("message".equals(copy.path("type").asText()) && !copy.has("status")) {
                copy.put("status", "completed");
            }
            items.add(copy);
        }
        try {
            store.putValue(PREFIX + response.path("id").asText(), Json.text(rec), retention);
        } catch (RuntimeException e) {
            LOG.warn("could not keep response {}: {}", response.path("id").asText(), e.toString());
        }
    }

    private static String idPrefix(String type) {
        return switch (type) {
            case "function_call" -> "fc";
            case "function_call_output" -> "fco";
            case "reasoning" -> "rs";
            default -> "msg";
        };
    }

    /**
     * A kept record.
     *
     * @param id the response id
     * @return {@code {"response": …, "input": […]}}, or empty when not kept (never produced here, expired, deleted)
     */
    public Optional<ObjectNode> load(String id) {
        if (id == null || !id.startsWith("resp_")) {
            return Optional.empty();
        }
        try {
            return store.getValue(PREFIX + id).map(t -> (ObjectNode) Json.parse(t));
        } catch (RuntimeException e) {
            LOG.warn("could not read response {}: {}", id, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The conversation a kept response closes: its input items, then its output items.
     *
     * @param id the response id
     * @return the items, or empty when the response is not kept
     */
    public Optional<ArrayNode> conversation(String id) {
        return load(id).map(rec -> {
            ArrayNode items = Json.array();
            rec.path("input").forEach(i -> items.add(i.deepCopy()));
            rec.path("response").path("output").forEach(o -> items.add(o.deepCopy()));
            return items;
        });
    }

    /**
     * Answers {@code GET /v1/responses/{id}}, {@code DELETE /v1/responses/{id}} and
     * {@code GET /v1/responses/{id}/input_items} for a response kept here.
     *
     * @param method the request method
     * @param path   the request path
     * @param query  the query string, or null
     * @return the JSON answer, or empty when the call is not one of these or the response is not kept here
     */
    public Optional<JsonNode> answer(String method, String path, String query) {
        Matcher m = CALL.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean items = m.group(2) != null;
        String id = m.group(1);
        if (!(method.equals("GET") || (method.equals("DELETE") && !items))) {
            return Optional.empty();
        }
        Optional<ObjectNode> rec = load(id);
        if (rec.isEmpty()) {
            return Optional.empty();
        }
        if (method.equals("DELETE")) {
            try {
                store.removeValue(PREFIX + id);
            } catch (RuntimeException e) {
                LOG.warn("could not delete response {}: {}", id, e.toString());
            }
            ObjectNode d = Json.object();
            d.put("id", id).put("object", "response").put("deleted", true);
            return Optional.of(d);
        }
        if (!items) {
            return Optional.of(rec.get().get("response"));
        }
        return Optional.of(list((ArrayNode) rec.get().get("input"), query));
    }

    /** A page of input items: {@code limit} (1–100, default 20), {@code order} ({@code desc} by default, as OpenAI), {@code after}. */
    static ObjectNode list(ArrayNode input, String query) {
        int limit = 20;
        boolean asc = false;
        String after = null;
        if (query != null) {
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = eq < 0 ? kv : kv.substring(0, eq);
                String v = eq < 0
                        ? ""
                        : java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                switch (k) {
                    case "limit" -> {
                        try {
                            limit = Math.max(1, Math.min(100, Integer.parseInt(v)));
                        } catch (NumberFormatException e) {
                            // OpenAI's default
                        }
                    }
                    case "order" -> asc = v.equals("asc");
                    case "after" -> after = v;
                    default -> {}
                }
            }
        }
        java.util.List<JsonNode> ordered = new java.util.ArrayList<>();
        input.forEach(ordered::add);
        if (!asc) {
            java.util.Collections.reverse(ordered);
        }
        int from = 0;
        if (after != null) {
            for (int i = 0; i < ordered.size(); i++) {
                if (after.equals(ordered.get(i).path("id").asText())) {
                    from = i + 1;
                    break;
                }
            }
        }
        ObjectNode page = Json.object();
        page.put("object", "list");
        ArrayNode data = page.putArray("data");
        int to = Math.min(ordered.size(), from + limit);
        for (int i = from; i < to; i++) {
            data.add(ordered.get(i).deepCopy());
        }
        if (data.isEmpty()) {
            page.putNull("first_id");
            page.putNull("last_id");
        } else {
            page.put("first_id", data.get(0).path("id").asText());
            page.put("last_id", data.get(data.size() - 1).path("id").asText());
        }
        page.put("has_more", to < ordered.size());
        return page;
    }
}
