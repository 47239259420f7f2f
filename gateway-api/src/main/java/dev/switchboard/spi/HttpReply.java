package dev.switchboard.spi;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A complete upstream answer (status, lower-cased headers, body bytes), handed to {@link Provider#translate}. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    /**
     * Lower-cases the header names; a null body becomes empty.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body bytes; may be null
     */
    public HttpReply {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        headers = Collections.unmodifiableMap(m);
        body = body == null ? new byte[0] : body;
    }

    /**
     * One header.
     *
     * @param name the header name, any case
     * @return its value, or null when absent
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@return the body decoded as UTF-8} */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** {@return whether the status is 2xx} */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
