package dev.switchboard.guardrails;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Json;
import dev.switchboard.spi.CheckContext;

/**
 * The hook context as Portkey's webhook and log plugins send it:
 * {@code {request:{json,text}, response:{json,text,statusCode}, provider, requestType, metadata, eventType}}.
 * Request headers are deliberately left out: they carry the caller's credentials.
 */
final class ContextJson {
    private ContextJson() {}

    static ObjectNode of(CheckContext context) {
        ObjectNode root = Json.object();
        ObjectNode request = root.putObject("request");
        request.set("json", context.request());
        request.put("text", context.requestText());
        request.put("isStreamingRequest", context.isStreaming());
        ObjectNode response = root.putObject("response");
        response.set("json", context.response());
        response.put("text", context.response() == null ? "" : context.responseText());
        response.put("statusCode", context.responseStatus());
        root.put("provider", context.provider());
        root.put("requestType", context.endpoint().portkeyName());
        ObjectNode metadata = root.putObject("metadata");
        context.metadata().forEach(metadata::put);
        root.put("eventType", context.event().portkeyName());
        return root;
    }
}
