package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.HookEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The text Portkey's handlers look at and write back ({@code plugins/utils.ts}: {@code getText},
 * {@code getCurrentContentPart}, {@code setCurrentContentPart}), case for case:
 *
 * <ul>
 *   <li>before the call: the last message's {@code content} (chat; a string, or one entry per content
 *       part: the part's {@code text}, or "" for parts without text), {@code prompt} (completions;
 *       one entry per element of an array), {@code input} (embeddings);
 *   <li>after the call: the first choice's {@code message.content} (chat) or {@code text} (completions);
 *   <li>{@link #text}: the non-empty entries joined by a newline;
 *   <li>where the handler would throw a {@code TypeError} (a chat request without messages, an answer
 *       without choices, a content part that is null) this throws an {@link IllegalStateException},
 *       which makes the check error, as in Portkey.
 * </ul>
 *
 * Content that is absent ({@code undefined} in JavaScript) is a {@link MissingNode}; JSON null is a
 * null node.
 */
final class PortkeyText {
    private PortkeyText() {}

    /** The content looked at and its text entries (JavaScript values: strings, or others as they are). */
    record Part(JsonNode content, List<JsonNode> texts) {
        /** Whether the content is falsy in JavaScript ({@code !content}). */
        boolean contentFalsy() {
            return !JsText.truthy(content);
        }
    }

    /** {@code getCurrentContentPart(context, eventType)}. */
    static Part current(CheckContext context) {
        return context.event() == HookEvent.BEFORE_REQUEST
                ? request(context.endpoint(), context.request())
                : response(context.endpoint(), context.response());
    }

    /** {@code getText(context, eventType)}: the truthy entries, as strings, joined by a newline. */
    static String text(CheckContext context) {
        return join(current(context).texts());
    }

    static String join(List<JsonNode> texts) {
        List<String> parts = new ArrayList<>();
        for (JsonNode t : texts) {
            if (JsText.truthy(t)) {
                parts.add(JsText.string(t));
            }
        }
        return String.join("\n", parts);
    }

    private static Part request(Endpoint endpoint, JsonNode json) {
        if (endpoint == Endpoint.CHAT_COMPLETIONS) {
            JsonNode messages = field(json, "messages");
            JsonNode last;
            if (messages.isArray()) {
                last = messages.isEmpty() ? MissingNode.getInstance() : messages.get(messages.size() - 1);
            } else if (messages.isTextual() && !messages.textValue().isEmpty()) {
                last = TextNode.valueOf(
                        messages.textValue().substring(messages.textValue().length() - 1));
            } else {
                throw typeError("the request has no messages array");
            }
            if (last.isMissingNode() || last.isNull()) {
                throw typeError("the request's last message is " + (last.isNull() ? "null" : "missing"));
            }
            JsonNode content = last.isObject() && last.has("content") ? last.get("content") : MissingNode.getInstance();
            if (content.isArray()) {
                List<JsonNode> texts = new ArrayList<>();
                for (JsonNode item : content) {
                    if (item.isNull()) {
                        throw typeError("a content part of the last message is null");
                    }
                    JsonNode text = item.isObject() ? item.path("text") : MissingNode.getInstance();
                    texts.add(JsText.truthy(text) ? text : TextNode.valueOf(""));
                }
                return new Part(content, texts);
            }
            return new Part(content, List.of(content));
        }
        if (endpoint == Endpoint.COMPLETIONS || endpoint == Endpoint.EMBEDDINGS) {
            JsonNode value = field(json, endpoint == Endpoint.COMPLETIONS ? "prompt" : "input");
            if (value.isArray()) {
                List<JsonNode> texts = new ArrayList<>();
                value.forEach(texts::add);
                return new Part(value, texts);
            }
            return new Part(value, List.of(value));
        }
        return new Part(JsonNodeFactory.instance.nullNode(), List.of());
    }

    private static Part response(Endpoint endpoint, JsonNode json) {
        if (json == null || json.isNull()) {
            return new Part(JsonNodeFactory.instance.nullNode(), List.of());
        }
        if (endpoint == Endpoint.CHAT_COMPLETIONS || endpoint == Endpoint.COMPLETIONS) {
            JsonNode choice = json.path("choices").path(0);
            if (!choice.isObject()) {
                throw typeError("the answer has no choices");
            }
            JsonNode content;
            if (endpoint == Endpoint.CHAT_COMPLETIONS) {
                if (!choice.path("message").isObject()) {
                    throw typeError("the answer's first choice has no message");
                }
                content = field(choice.get("message"), "content");
            } else {
                content = field(choice, "text");
            }
            return new Part(content, List.of(content));
        }
        return new Part(JsonNodeFactory.instance.nullNode(), List.of());
    }

    private static JsonNode field(JsonNode json, String name) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw typeError("there is no " + (name.equals("content") ? "message" : "request") + " body");
        }
        JsonNode value = json.get(name);
        return value == null ? MissingNode.getInstance() : value;
    }

    private static IllegalStateException typeError(String what) {
        return new IllegalStateException("Cannot read the text: " + what);
    }

    /**
     * {@code setCurrentContentPart}: a copy of the request (before the call) or answer (after) with the
     * text entries written back; an entry that is null or "" keeps what was there. Null when
     * {@code texts} is empty (nothing is written, as in Portkey). Chat: each content part of the last
     * message gets its own entry; completions: the prompt (an array element by element), or the
     * first choice's text.
     */
    static ObjectNode write(CheckContext context, List<String> texts) {
        if (texts.isEmpty()) {
            return null;
        }
        boolean before = context.event() == HookEvent.BEFORE_REQUEST;
        ObjectNode json = before ? context.request() : context.response();
        if (json == null) {
            return null;
        }
        ObjectNode copy = json.deepCopy();
        Endpoint endpoint = context.endpoint();
        String first = texts.get(0);
        if (before && endpoint == Endpoint.CHAT_COMPLETIONS) {
            JsonNode messages = copy.path("messages");
            if (!messages.isArray()
                    || messages.isEmpty()
                    || !messages.get(messages.size() - 1).isObject()) {
                return copy;
            }
            ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
            JsonNode content = last.get("content");
            if (content != null && content.isArray()) {
                ArrayNode parts = (ArrayNode) content;
                for (int i = 0; i < parts.size(); i++) {
                    String text = i < texts.size() ? texts.get(i) : null;
                    if (parts.get(i).isObject() && text != null && !text.isEmpty()) {
                        ((ObjectNode) parts.get(i)).put("text", text);
                    }
                }
            } else if (first != null && !first.isEmpty()) {
                last.put("content", first);
            }
        } else if (before && endpoint == Endpoint.COMPLETIONS) {
            JsonNode prompt = copy.get("prompt");
            if (prompt != null && prompt.isArray()) {
                ArrayNode updated = copy.arrayNode();
                for (int i = 0; i < texts.size(); i++) {
                    String text = texts.get(i);
                    updated.add(
                            text != null && !text.isEmpty()
                                    ? TextNode.valueOf(text)
                                    : prompt.path(i).deepCopy());
                }
                copy.set("prompt", updated);
            } else if (first == null) {
                copy.putNull("prompt");
            } else {
                copy.put("prompt", first);
            }
        } else if (!before && endpoint == Endpoint.CHAT_COMPLETIONS) {
            JsonNode choice = copy.path("choices").path(0);
            if (choice.isObject() && first != null && !first.isEmpty()) {
                JsonNode message = choice.path("message");
                ObjectNode m = message.isObject() ? (ObjectNode) message : ((ObjectNode) choice).putObject("message");
                m.put("content", first);
            }
        } else if (!before && endpoint == Endpoint.COMPLETIONS) {
            // Portkey writes the first choice's rewritten text into the last choice; here it goes back
            // where it came from (a documented difference, only visible with n > 1)
            JsonNode choice = copy.path("choices").path(0);
            if (choice.isObject() && first != null && !first.isEmpty()) {
                ((ObjectNode) choice).put("text", first);
            }
        }
        return copy;
    }
}
