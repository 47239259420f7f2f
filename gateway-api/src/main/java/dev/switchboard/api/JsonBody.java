package dev.switchboard.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * A JSON object body; serialised only when it goes on the wire.
 *
 * @param json the object; not copied, callers must not modify it once shared
 */
public record JsonBody(ObjectNode json) implements Body {
    /** The JSON content type. */
    public static final String CONTENT_TYPE = "application/json";

    /**
     * Checks the object is present.
     *
     * @param json the object
     */
    public JsonBody {
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** {@return -1: the length is known only once serialised} */
    @Override
    public long contentLength() {
        return -1;
    }

    @Override
    public InputStream openStream() {
        return new ByteArrayInputStream(Json.bytes(json));
    }

    @Override
    public boolean replayable() {
        return true;
    }

    @Override
    public String toString() {
        return "JsonBody{model=" + json.path("model").asText(null) + "}";
    }
}
