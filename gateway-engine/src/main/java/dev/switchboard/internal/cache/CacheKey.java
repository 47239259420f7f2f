package dev.switchboard.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The cache keys of one leaf call: SHA-256 over the canonical JSON ({@link CanonicalJson}) of
 * <ul>
 *   <li>the endpoint, the provider id and the cache namespace;</li>
 *   <li>the target's provider fields that can change the answer ({@code custom_host},
 *       {@code resource_name}, {@code deployment_id}, {@code api_version}, regions, …) — never a
 *       credential ({@code api_key}, AWS keys, tokens, service accounts): rotating a key must not
 *       empty the cache, and a secret must not shape a value that lands in a shared store;</li>
 *   <li>the OpenAI-format body as the provider will receive it (after {@code override_params} and
 *       before-request mutators), without {@code stream} and {@code stream_options}: a streamed
 *       and a plain request share an entry. The model is part of the body.</li>
 * </ul>
 * The provider's wire transform is a pure function of these inputs, so hashing them is the same as
 * hashing the transformed body, without running the transform on a hit.
 *
 * <p>For the semantic cache, {@link #partition()} hashes the same parts with the embedded text
 * taken out, so only requests whose every other parameter matches exactly (system message,
 * sampling, tools, images, …) are compared by similarity; {@link #embeddedText()} is that text:
 * one {@code role: text} line per non-system chat message, or the completion prompt.
 *
 * @param exact        key of the entry in the {@code CacheStore}
 * @param partition    semantic partition, null when the call is not semantic
 * @param embeddedText text to embed, null when the call is not semantic or has no text
 */
public record CacheKey(String exact, String partition, String embeddedText) {
    private static final int VERSION = 1;

    /** Keys of one call; {@code semantic} also computes the partition and the embedded text. */
    public static CacheKey of(
            Endpoint endpoint,
            String provider,
            ObjectNode targetOptions,
            ObjectNode body,
            String namespace,
            boolean semantic) {
        return of(endpoint, provider, targetOptions, body, null, namespace, semantic);
    }

    /**
     * Keys of one call with a multipart upload: {@code body} is the form's text fields, {@code files}
     * describes its file parts (name, file name, content type, size, SHA-256 of the content), so two
     * uploads of different files never share an entry.
     */
    public static CacheKey of(
            Endpoint endpoint,
            String provider,
            ObjectNode targetOptions,
            ObjectNode body,
            ArrayNode files,
            String namespace,
            boolean semantic) {
        ObjectNode plainBody = Json.object();
        plainBody.setAll(body);
        plainBody.remove("stream");
        plainBody.remove("stream_options");
        ObjectNode exactEnvelope = envelope(endpoint, provider, targetOptions, namespace, plainBody, false);
        if (files != null) {
            exactEnvelope.set("files", files);
        }
        String exact = CanonicalJson.sha256(exactEnvelope);
        if (!semantic) {
            return new CacheKey(exact, null, null);
        }
        StringBuilder text = new StringBuilder();
        ObjectNode rest = plainBody.deepCopy();
        if (endpoint == Endpoint.COMPLETIONS) {
            if (!appendPrompt(rest.get("prompt"), text)) {
                return new CacheKey(exact, null, null);
            }
            rest.remove("prompt");
        } else {
            JsonNode messages = rest.get("messages");
            if (messages == null || !messages.isArray()) {
                return new CacheKey(exact, null, null);
            }
            for (JsonNode m : messages) {
                if (m.isObject()) {
                    takeText((ObjectNode) m, text);
                }
            }
        }
        if (text.length() == 0) {
            return new CacheKey(exact, null, null);
        }
        String partition = CanonicalJson.sha256(envelope(endpoint, provider, targetOptions, namespace, rest, true));
        return new CacheKey(exact, partition, text.toString());
    }

    private static ObjectNode envelope(
            Endpoint endpoint,
            String provider,
            ObjectNode options,
            String namespace,
            ObjectNode body,
            boolean semantic) {
        ObjectNode e = Json.object();
        e.put("v", VERSION);
        e.put("kind", semantic ? "semantic" : "exact");
        e.put("endpoint", endpoint.path());
        e.put("provider", provider);
        if (namespace != null) {
            e.put("namespace", namespace);
        }
        ObjectNode target = e.putObject("target");
        if (options != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = options.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!isCredential(f.getKey())) {
                    target.set(f.getKey(), f.getValue());
                }
            }
        }
        e.set("body", body);
        return e;
    }

    /** Field names that hold secrets: left out of every key. */
    static boolean isCredential(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("key")
                || n.contains("secret")
                || n.contains("token")
                || n.contains("password")
                || n.contains("credential")
                || n.contains("auth")
                || n.contains("service_account");
    }

    /**
     * Moves a non-system message's text into {@code text}, leaving its other parts (role, name,
     * tool calls, images) in the message so they stay part of the exact-match partition.
     */
    private static void takeText(ObjectNode message, StringBuilder text) {
        String role = message.path("role").asText("");
        if (role.equals("system") || role.equals("developer")) {
            return;
        }
        JsonNode content = message.get("content");
        StringBuilder own = new StringBuilder();
        if (content != null && content.isTextual()) {
            own.append(content.textValue());
            message.remove("content");
        } else if (content != null && content.isArray()) {
            ArrayNode others = Json.array();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())
                        && part.path("text").isTextual()) {
                    own.append(own.length() == 0 ? "" : "\n")
                            .append(part.path("text").textValue());
                } else {
                    others.add(part);
                }
            }
            message.set("content", others);
        }
        if (own.length() > 0) {
            text.append(role).append(": ").append(own).append('\n');
        }
    }

    private static boolean appendPrompt(JsonNode prompt, StringBuilder text) {
        if (prompt == null) {
            return false;
        }
        if (prompt.isTextual()) {
            text.append(prompt.textValue());
            return true;
        }
        if (prompt.isArray()) {
            for (JsonNode p : prompt) {
                if (!p.isTextual()) {
                    return false; // token arrays: nothing to embed
                }
                text.append(text.length() == 0 ? "" : "\n").append(p.textValue());
            }
            return true;
        }
        return false;
    }
}
