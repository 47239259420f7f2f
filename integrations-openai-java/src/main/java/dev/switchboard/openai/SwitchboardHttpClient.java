package dev.switchboard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import dev.switchboard.Gateway;
import dev.switchboard.api.BytesBody;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI SDK's {@link HttpClient} backed by a {@link Gateway}: each SDK request becomes a
 * {@link GatewayRequest} (method and path → {@link Endpoint}, the JSON body parsed once from its bytes,
 * the headers, the SDK's timeout), and each gateway answer an SDK response (a JSON body, or a stream's
 * SSE wire bytes as they arrive, which the SDK parses itself). Usually made by {@link SwitchboardOpenAI}.
 *
 * <ul>
 *   <li>Every SDK call is served: the gateway gets its method, path and query string as the SDK
 *       encoded them ({@link GatewayRequest#builder(String, String)}), so calls on existing objects
 *       ({@code files().retrieve}, {@code list}, {@code delete}, {@code content}) and operations the
 *       gateway passes through ({@link Endpoint#PROXY}) reach the target unchanged. A JSON body is parsed
 *       once from its bytes; a multipart upload or raw bytes pass with their own content type. Whether
 *       a target serves the operation is the provider's: one that does not is a target failure a
 *       fallback moves past.</li>
 *   <li>Headers reach the gateway as request headers: {@code x-portkey-metadata}, {@code x-portkey-trace-id}
 *       and {@code x-portkey-config} (an inline JSON config override) set as the SDK's additional headers
 *       are honoured by the gateway. The {@code Authorization} header carrying
 *       {@link SwitchboardOpenAI#PLACEHOLDER_API_KEY} is dropped.</li>
 *   <li>A timeout set on the client ({@code withOptions(o -> o.timeout(...))}) or per request
 *       ({@code RequestOptions.builder().timeout(...)}) becomes {@code x-portkey-request-timeout} (the
 *       request timeout, in milliseconds, per attempt); the SDK's default timeout leaves the config's
 *       {@code request_timeout} in charge.</li>
 *   <li>Answers carry {@code x-should-retry: false} (the gateway owns retries) and, when no provider gave
 *       one, {@code x-request-id} set to the gateway's trace id (the SDK's {@code requestId()}).</li>
 * </ul>
 *
 * <p>{@link #close()} does not close the gateway: it is shared.
 */
public final class SwitchboardHttpClient implements HttpClient {
    private static final String PLACEHOLDER_AUTHORIZATION = "Bearer " + SwitchboardOpenAI.PLACEHOLDER_API_KEY;
    /** Headers of the SDK's HTTP request that describe its transport, not the call: never passed on. */
    private static final Set<String> TRANSPORT_HEADERS =
            Set.of("content-type", "content-length", "host", "connection", "transfer-encoding");

    private static final String TIMEOUT_HEADER = "x-portkey-request-timeout";

    private final Gateway gateway;
    private final Timeout sdkDefault = ClientOptions.builder().timeout();

    /**
     * An HTTP client for the SDK's {@code ClientOptions.builder().httpClient(...)}.
     *
     * @param gateway the gateway every request goes to; not closed by {@link #close()}
     */
    public SwitchboardHttpClient(Gateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    /**
     * Runs the SDK request through the gateway and waits for its answer (for a stream: its first event).
     *
     * @param request        the SDK's request
     * @param requestOptions the SDK's options for it (its timeout is mapped)
     * @return the answer; an error status is an answer the SDK turns into its exception types
     * @throws IllegalStateException when the gateway is closed
     */
    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
        Mapped m = map(request, requestOptions);
        if (m.refusal != null) {
            return m.refusal;
        }
        return toSdk(gateway.execute(m.request));
    }

    /**
     * Runs the SDK request through the gateway without blocking ({@link Gateway#executeAsync}).
     *
     * @param request        the SDK's request
     * @param requestOptions the SDK's options for it (its timeout is mapped)
     * @return the answer's future; it fails only when the gateway is closed or the request cannot be read
     */
    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
        try {
            Mapped m = map(request, requestOptions);
            if (m.refusal != null) {
                return CompletableFuture.completedFuture(m.refusal);
            }
            return gateway.executeAsync(m.request).thenApply(SwitchboardHttpClient::toSdk);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Nothing to release: the gateway is shared and stays open. */
    @Override
    public void close() {
        // the gateway belongs to the application, which closes it at shutdown
    }

    @Override
    public String toString() {
        return "SwitchboardHttpClient{" + gateway + "}";
    }

    /** A request for the gateway, or an answer given without calling it. */
    private record Mapped(GatewayRequest request, HttpResponse refusal) {}

    private Mapped map(HttpRequest sdk, RequestOptions options) {
        String method = sdk.method().name();
        String url = sdk.url();
        String base = sdk.baseUrl();
        // the SDK encodes path segments and query parameters; the gateway keeps them as encoded
        String relative =
                url.startsWith(base) ? url.substring(base.length()) : "/" + String.join("/", sdk.pathSegments());
        if (!relative.startsWith("/")) {
            relative = "/" + relative;
        }
        String pathAndQuery = "/v1" + relative;
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        GatewayRequest.Builder b;
        try {
            b = GatewayRequest.builder(method, pathAndQuery);
        } catch (IllegalArgumentException e) {
            return new Mapped(null, SdkResponse.error(400, e.getMessage(), "invalid_request"));
        }
        HttpRequestBody body = sdk.body();
        if (body != null) {
            byte[] bytes;
            String type;
            try (body) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(
                        body.contentLength() > 0 ? (int) Math.min(body.contentLength(), Integer.MAX_VALUE - 8) : 512);
                body.writeTo(out);
                bytes = out.toByteArray();
                type = body.contentType();
            } catch (Exception e) {
                throw new IllegalStateException("could not read the SDK's request body for " + method + " " + path, e);
            }
            if (type == null || type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                JsonNode json;
                byte[] exact;
                try {
                    Json.Parsed parsed = Json.parseKeepingSource(bytes);
                    json = parsed.json();
                    exact = parsed.source(); // exactly the tree: sent as it came when nothing rewrites it
                } catch (IllegalArgumentException e) {
                    return new Mapped(
                            null,
                            SdkResponse.error(
                                    400,
                                    method + " " + path + ": found a request body that is not JSON,"
                                            + " expected a JSON object",
                                    "invalid_request_body"));
                }
                if (!json.isObject()) {
                    return new Mapped(
                            null,
                            SdkResponse.error(
                                    400,
                                    method + " " + path + ": found a JSON "
                                            + json.getNodeType().toString().toLowerCase(Locale.ROOT)
                                            + " body, expected a JSON object",
                                    "invalid_request_body"));
                }
                if (exact != null) {
                    b.body(json, exact);
                } else {
                    b.body(json);
                }
            } else {
                b.body(nonJson(bytes, type));
            }
        }
        for (String name : sdk.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (TRANSPORT_HEADERS.contains(lower)) {
                continue;
            }
            List<String> values = sdk.headers().values(name);
            if (lower.equals("authorization")) {
                values = values.stream()
                        .filter(v -> !v.equals(PLACEHOLDER_AUTHORIZATION))
                        .toList();
            }
            if (!values.isEmpty()) {
                for (String v : values) {
                    b.addHeader(lower, v);
                }
            }
        }
        Long timeoutMs = timeoutMillis(options);
        if (timeoutMs != null && sdk.headers().values(TIMEOUT_HEADER).isEmpty()) {
            b.header(TIMEOUT_HEADER, Long.toString(timeoutMs));
        }
        try {
            return new Mapped(b.build(), null);
        } catch (IllegalStateException e) {
            return new Mapped(
                    null, SdkResponse.error(400, method + " " + path + ": " + e.getMessage(), "invalid_request_body"));
        }
    }

    /**
     * A body that is not JSON: a multipart form is parsed (its text fields become {@code params.*} for
     * conditions, hooks and the cache; the form is sent again as the same parts), kept in memory as the
     * SDK gave it; a form that cannot be parsed, and any other body, passes as the bytes it is.
     */
    private static dev.switchboard.api.Body nonJson(byte[] bytes, String type) {
        if (type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            try {
                return dev.switchboard.api.MultipartBody.parse(
                        new ByteArrayInputStream(bytes), type, Math.max(1L, bytes.length + 1L));
            } catch (IllegalArgumentException e) {
                // not a form the gateway can read: the provider gets it exactly as the SDK built it
            }
        }
        return new BytesBody(bytes, type);
    }

    /** The SDK's request timeout in milliseconds when one was set; null for the SDK's default. */
    private Long timeoutMillis(RequestOptions options) {
        Timeout t = options == null ? null : options.getTimeout();
        if (t == null || t.equals(sdkDefault)) {
            return null;
        }
        long ms = t.request().toMillis();
        return ms > 0 ? ms : null;
    }

    private static HttpResponse toSdk(GatewayResponse r) {
        SdkResponse.Builder out = new SdkResponse.Builder(r.status());
        for (String name : r.headers().keySet()) {
            out.header(name, r.headers(name));
        }
        out.replace("x-should-retry", "false");
        if (r.header("x-request-id").isEmpty()) {
            r.header("x-portkey-trace-id").ifPresent(id -> out.replace("x-request-id", id));
        }
        if (r.isStream()) {
            out.defaultHeader("content-type", "text/event-stream");
            InputStream wire = r.stream().asInputStream();
            return out.body(wire, wire);
        }
        if (r.isBinaryStream()) {
            InputStream in = r.inputStream();
            return out.body(in, in);
        }
        out.defaultHeader("content-type", "application/json");
        return out.body(new ByteArrayInputStream(r.bytes()), null);
    }
}
