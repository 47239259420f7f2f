package dev.switchboard.openai;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponse;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** A gateway answer as the SDK reads it; closing it closes the body (a stream: cancels the upstream). */
final class SdkResponse implements HttpResponse {
    private final int status;
    private final Headers headers;
    private final InputStream body;
    private final AutoCloseable onClose;

    private SdkResponse(int status, Headers headers, InputStream body, AutoCloseable onClose) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.onClose = onClose;
    }

    /** An OpenAI error envelope answered without calling the gateway. */
    static SdkResponse error(int status, String message, String code) {
        byte[] bytes = Json.bytes(ErrorBody.of(message, "invalid_request_error", null, code));
        return new Builder(status)
                .replace("content-type", "application/json")
                .replace("x-should-retry", "false")
                .body(new ByteArrayInputStream(bytes), null);
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        try {
            if (onClose != null) {
                onClose.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("closing the gateway's answer failed", e);
        }
    }

    @Override
    public String toString() {
        return "SdkResponse{status=" + status + "}";
    }

    static final class Builder {
        private final int status;
        private final Headers.Builder headers = Headers.builder();
        private final java.util.Set<String> names = new java.util.HashSet<>();

        Builder(int status) {
            this.status = status;
        }

        Builder header(String name, List<String> values) {
            headers.put(name, values);
            names.add(name.toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        Builder replace(String name, String value) {
            headers.replace(name, value);
            names.add(name.toLowerCase(java.util.Locale.ROOT));
            return this;
        }

        Builder defaultHeader(String name, String value) {
            return names.contains(name) ? this : replace(name, value);
        }

        SdkResponse body(InputStream body, AutoCloseable onClose) {
            return new SdkResponse(status, headers.build(), body, onClose);
        }
    }
}
