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
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.EnumSet;
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
 *   <li>Served: {@code POST /chat/completions} (streamed or not), {@code /completions} and
 *       {@code /embeddings}. Any other operation answers 404 {@code unsupported_endpoint}, which the SDK
 *       throws as {@code NotFoundException}, without calling the gateway.</li>
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
    private static final Set<Endpoint> SERVED =
            EnumSet.of(Endpoint.CHAT_COMPLETIONS, Endpoint.COMPLETIONS, Endpoint.EMBEDDINGS);
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
        String path = "/v1/" + String.join("/", sdk.pathSegments());
        Endpoint endpoint = Endpoint.fromPath(method, path).orElse(Endpoint.PROXY);
        if (!SERVED.contains(endpoint)) {
            return new Mapped(
                    null,
                    SdkResponse.error(
                            404,
                            "Switchboard's OpenAI SDK client does not serve "
                                    + method + " " + path
                                    + " yet; it serves POST /v1/chat/completions, /v1/completions and"
                                    + " /v1/embeddings",
                            "unsupported_endpoint"));
        }
        HttpRequestBody body = sdk.body();
        if (body == null) {
            return new Mapped(
                    null,
                    SdkResponse.error(
                            400,
                            method + " " + path + ": found a request without a body," + " expected a JSON object",
                            "invalid_request_body"));
        }
        JsonNode json;
        try (body) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                    body.contentLength() > 0 ? (int) Math.min(body.contentLength(), Integer.MAX_VALUE - 8) : 512);
            body.writeTo(bytes);
            json = Json.parse(bytes.toByteArray());
        } catch (IllegalArgumentException e) {
            return new Mapped(
                    null,
                    SdkResponse.error(
                            400,
                            method + " " + path + ": found a request body that is not JSON,"
                                    + " expected a JSON object",
                            "invalid_request_body"));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the SDK's request body for " + method + " " + path, e);
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
        GatewayRequest.Builder b = GatewayRequest.builder(endpoint).body(json);
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
                b.header(lower, String.join(", ", values));
            }
        }
        Long timeoutMs = timeoutMillis(options);
        if (timeoutMs != null && sdk.headers().values(TIMEOUT_HEADER).isEmpty()) {
            b.header(TIMEOUT_HEADER, Long.toString(timeoutMs));
        }
        return new Mapped(b.build(), null);
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
