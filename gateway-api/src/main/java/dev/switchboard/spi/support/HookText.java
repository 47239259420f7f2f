package dev.switchboard.spi.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Text extraction and replacement for hooks (Portkey's {@code getText}/{@code setCurrentContentPart}):
 * request side = the last message (string content, or its text parts joined by newline) for chat,
 * {@code prompt} for completions, {@code input} for embeddings; response side = the first choice's
 * message content (chat) or text (completions).
 */
public final class HookText {
    private HookText() {}

    /**
     * The request text a check looks at.
     *
     * @param endpoint the request's endpoint
     * @param body     the OpenAI-format request body; may be null
     * @return the last message (chat), {@code prompt} (completions) or {@code input} (embeddings); "" otherwise
     */
    public static String requestText(Endpoint endpoint, JsonNode body) {
        if (body == null) {
            return "";
        }
        switch (endpoint) {
            case CHAT_COMPLETIONS: {
                JsonNode messages = body.path("messages");
                if (!messages.isArray() || messages.isEmpty()) {
                    return "";
                }
                return contentText(messages.get(messages.size() - 1).path("content"));
            }
            case COMPLETIONS:
                return joinTexts(body.path("prompt"));
            case EMBEDDINGS:
                return joinTexts(body.path("input"));
            default:
                return "";
        }
    }

    /**
     * The answer text a check looks at.
     *
     * @param endpoint the request's endpoint
     * @param body     the OpenAI-format response body; may be null
     * @return the first choice's message content (chat) or text (completions); "" when absent
     */
    public static String responseText(Endpoint endpoint, JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode choice = body.path("choices").path(0);
        if (endpoint == Endpoint.COMPLETIONS) {
            return choice.path("text").asText("");
        }
        return contentText(choice.path("message").path("content"));
    }

    /**
     * Replaces the text {@link #requestText} extracts, for mutators.
     *
     * @param endpoint the request's endpoint
     * @param body     the request body; not modified
     * @param text     the new text (for multi-part content: one text part, other parts kept)
     * @return a changed copy of {@code body}
     */
    public static ObjectNode withRequestText(Endpoint endpoint, ObjectNode body, String text) {
        ObjectNode copy = body.deepCopy();
        switch (endpoint) {
            case CHAT_COMPLETIONS -> {
                JsonNode messages = copy.path("messages");
                if (messages.isArray() && !messages.isEmpty()) {
                    ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
                    setContent(last, text);
                }
            }
            case COMPLETIONS -> copy.put("prompt", text);
            case EMBEDDINGS -> copy.put("input", text);
            default -> {}
        }
        return copy;
    }

    /**
     * Replaces the text {@link #responseText} extracts, for mutators.
     *
     * @param endpoint the request's endpoint
     * @param body     the response body; not modified
     * @param text     the new text of the first choice
     * @return a changed copy of {@code body}
     */
    public static ObjectNode withResponseText(Endpoint endpoint, ObjectNode body, String text) {
        ObjectNode copy = body.deepCopy();
        JsonNode choice = copy.path("choices").path(0);
        if (choice.isObject()) {
            if (endpoint == Endpoint.COMPLETIONS) {
                ((ObjectNode) choice).put("text", text);
            } else if (choice.path("message").isObject()) {
                setContent((ObjectNode) choice.get("message"), text);
            }
        }
        return copy;
    }

    /**
     * The text of a message's {@code content}.
     *
     * @param content a string or an array of content parts; may be null
     * @return the string, or the text parts joined by newline; "" for anything else
     */
    public static String contentText(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    parts.add(part.asText());
                } else if (part.has("text")) {
                    parts.add(part.path("text").asText());
                }
            }
            return String.join("\n", parts);
        }
        return "";
    }

    private static String joinTexts(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> {
                if (x.isTextual()) {
                    parts.add(x.asText());
                }
            });
            return String.join("\n", parts);
        }
        return "";
    }

    private static void setContent(ObjectNode message, String text) {
        JsonNode content = message.path("content");
        if (content.isArray()) {
            // replace the text parts by one text part, keep the others (images) in place
            ArrayNode parts = (ArrayNode) content;
            boolean written = false;
            for (int i = 0; i < parts.size(); i++) {
                JsonNode p = parts.get(i);
                if (p.isObject() && p.has("text")) {
                    if (!written) {
                        ((ObjectNode) p).put("text", text);
                        written = true;
                    } else {
                        parts.remove(i--);
                    }
                }
            }
            if (!written) {
                parts.addObject().put("type", "text").put("text", text);
            }
        } else {
            message.put("content", text);
        }
    }
}
