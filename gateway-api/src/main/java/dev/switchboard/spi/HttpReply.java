package dev.switchboard.spi;

import dev.switchboard.api.Body;
import dev.switchboard.api.StreamedBody;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An upstream answer handed to {@link Provider#translate}: status, lower-cased headers, and the body
 * — bytes in memory, or, for a binary download (text-to-speech audio), a {@link StreamedBody} still
 * arriving ({@link #isStreamed()}), which a provider passes on with {@link ProviderReply#binary}.
 *
 * <p>Headers: {@link #header(String)} gives one value as an {@code Optional} (case-insensitive),
 * {@link #headers(String)} every value of a repeated header.
 */
public final class HttpReply {
    private final int status;
    private final Headers headers;
    private final byte[] body;
    private final StreamedBody streamed;

    /**
     * A reply whose body is in memory; header names are lower-cased; a null body becomes empty.
     *
     * @param status  the HTTP status
     * @param headers the response headers
     * @param body    the body bytes, not copied; may be null
     */
    public HttpReply(int status, Map<String, String> headers, byte @Nullable [] body) {
        this(status, Headers.ofSingle(headers), body == null ? new byte[0] : body, null);
    }

    private HttpReply(int status, Headers headers, byte[] body, StreamedBody streamed) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.streamed = streamed;
    }

    /**
     * A reply with headers that may repeat and a body in memory.
     *
     * @param status  the HTTP status
     * @param headers each header name with its values
     * @param body    the body bytes, not copied; may be null
     * @return the reply
     */
    public static HttpReply of(int status, Map<String, List<String>> headers, byte @Nullable [] body) {
        return new HttpReply(status, Headers.ofMulti(headers), body == null ? new byte[0] : body, null);
    }

    /**
     * A reply whose body is still arriving (a binary download); nothing is buffered.
     *
     * @param status  the HTTP status
     * @param headers each header name with its values
     * @param body    the body as it arrives; closing it cancels the download
     * @return the reply
     */
    public static HttpReply streamed(int status, Map<String, List<String>> headers, InputStream body) {
        Headers h = Headers.ofMulti(headers);
        long length = -1;
        String cl = h.first.get("content-length");
        if (cl != null) {
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException ignored) {
                // unknown length
            }
        }
        return new HttpReply(
                status,
                h,
                null,
                Body.stream(Objects.requireNonNull(body, "body"), h.first.get("content-type"), length));
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the headers, names lower-cased, the first value of each; unmodifiable} */
    public Map<String, String> headers() {
        return headers.first;
    }

    /** {@return every header, names lower-cased, with all their values; unmodifiable} */
    public Map<String, List<String>> headerValues() {
        return headers.multi();
    }

    /**
     * One header.
     *
     * @param name the header name, any case
     * @return its (first) value, or empty when absent
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.first.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Every value of a header that may repeat.
     *
     * @param name the header name, any case
     * @return the values in order; empty when absent
     */
    public List<String> headers(String name) {
        return headers.values(name);
    }

    /** {@return whether the body is still arriving ({@link #streamedBody()}) rather than in memory} */
    public boolean isStreamed() {
        return streamed != null;
    }

    /**
     * The body still arriving.
     *
     * @return the download, read once
     * @throws IllegalStateException when the body is in memory ({@link #body()})
     */
    public StreamedBody streamedBody() {
        if (streamed == null) {
            throw new IllegalStateException("the reply's body is in memory; use body()");
        }
        return streamed;
    }

    /**
     * The body bytes; a streamed body is read whole (once) by the first call.
     *
     * @return the bytes, not copied
     */
    public synchronized byte[] body() {
        if (body != null) {
            return body;
        }
        return streamedBytes();
    }

    private byte[] cached;

    private byte[] streamedBytes() {
        if (cached == null) {
            cached = streamed.readAllBytes();
        }
        return cached;
    }

    /** {@return the body decoded as UTF-8} */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** {@return whether the status is 2xx} */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return "HttpReply{" + status + ", headers=" + headers.first.keySet()
                + (streamed != null ? ", streamed" : ", " + body.length + " bytes") + "}";
    }
}
