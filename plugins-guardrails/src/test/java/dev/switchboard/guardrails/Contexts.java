package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;
import dev.switchboard.spi.HookEvent;

/** Builds hook contexts for chat requests and answers. */
final class Contexts {
    private Contexts() {}

    static ObjectNode chatRequest(String lastUserText) {
        ObjectNode req = Json.object().put("model", "gpt-4o-mini");
        req.putArray("messages").addObject().put("role", "user").put("content", lastUserText);
        return req;
    }

    static ObjectNode chatResponse(String text) {
        ObjectNode res = Json.object().put("id", "chatcmpl-1").put("object", "chat.completion");
        res.putArray("choices")
                .addObject()
                .put("index", 0)
                .putObject("message")
                .put("role", "assistant")
                .put("content", text);
        return res;
    }

    static CheckContext before(String text) {
        return beforeBuilder(text).build();
    }

    static CheckContext.Builder beforeBuilder(String text) {
        return CheckContext.builder(HookEvent.BEFORE_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request(chatRequest(text))
                .provider("openai");
    }

    static CheckContext after(String text) {
        return afterBuilder(text).build();
    }

    static CheckContext.Builder afterBuilder(String text) {
        return CheckContext.builder(HookEvent.AFTER_REQUEST, Endpoint.CHAT_COMPLETIONS)
                .request(chatRequest("question"))
                .response(chatResponse(text), 200)
                .provider("openai");
    }

    static ObjectNode params(String json) {
        return (ObjectNode) Json.parse(json);
    }
}
