package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.spi.support.HookText;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a guardrail check sees (Portkey's hook context): the event, the endpoint, the OpenAI-format
 * request (and, after the call, the response and its status), the provider, request metadata and
 * headers, and the gateway's transport and clock for checks that call out or look at time.
 */
public final class CheckContext {
    private final HookEvent event;
    private final Endpoint endpoint;
    private final ObjectNode request;
    private final ObjectNode response;
    private final int responseStatus;
    private final String provider;
    private final Map<String, String> metadata;
    private final Map<String, String> requestHeaders;
    private final boolean streaming;
    private final Transport transport;
    private final Clock clock;

    private CheckContext(Builder b) {
        this.event = b.event;
        this.endpoint = b.endpoint;
        this.request = b.request;
        this.response = b.response;
        this.responseStatus = b.responseStatus;
        this.provider = b.provider;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.requestHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.requestHeaders));
        this.streaming = b.streaming;
        this.transport = b.transport;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    /**
     * Starts a context; the gateway builds one per check run, tests build their own.
     *
     * @param event    before or after the provider call
     * @param endpoint the request's endpoint
     * @return the builder
     */
    public static Builder builder(HookEvent event, Endpoint endpoint) {
        return new Builder(event, endpoint);
    }

    /** {@return whether the check runs before or after the provider call} */
    public HookEvent event() {
        return event;
    }

    /** {@return the request's endpoint} */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@return the OpenAI-format request body; read-only by contract (return a transformed copy instead)} */
    public ObjectNode request() {
        return request;
    }

    /** {@return the OpenAI-format response body (after-request hooks only), else null} */
    public @Nullable ObjectNode response() {
        return response;
    }

    /** {@return the response's HTTP status (after-request hooks only), else 0} */
    public int responseStatus() {
        return responseStatus;
    }

    /** {@return the id of the provider the request goes (or went) to, e.g. {@code openai}} */
    public String provider() {
        return provider;
    }

    /** {@return the request metadata; unmodifiable} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** {@return the client request headers, lower-cased names; unmodifiable} */
    public Map<String, String> requestHeaders() {
        return requestHeaders;
    }

    /** {@return whether the request asked for a stream (after-request checks then see the assembled answer)} */
    public boolean isStreaming() {
        return streaming;
    }

    /** {@return the gateway's transport, for checks that call out (webhooks, JWKS); may be null} */
    public @Nullable Transport transport() {
        return transport;
    }

    /** {@return the gateway's clock (the system UTC clock unless one was set)} */
    public Clock clock() {
        return clock;
    }

    /** {@return the text a check looks at: the request's last message before the call, the answer's first choice after} */
    public String text() {
        return event == HookEvent.BEFORE_REQUEST ? requestText() : responseText();
    }

    /** {@return the request text, as {@link HookText#requestText} extracts it} */
    public String requestText() {
        return HookText.requestText(endpoint, request);
    }

    /** {@return the answer text, as {@link HookText#responseText} extracts it; "" before the call} */
    public String responseText() {
        return HookText.responseText(endpoint, response);
    }

    /** {@return the JSON the check is about: the request before the call, the response after} */
    public JsonNode json() {
        return event == HookEvent.BEFORE_REQUEST ? request : response;
    }

    /** Builds a {@link CheckContext}. */
    public static final class Builder {
        private final HookEvent event;
        private final Endpoint endpoint;
        private ObjectNode request;
        private ObjectNode response;
        private int responseStatus;
        private String provider;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, String> requestHeaders = new LinkedHashMap<>();
        private boolean streaming;
        private Transport transport;
        private Clock clock;

        private Builder(HookEvent event, Endpoint endpoint) {
            this.event = event;
            this.endpoint = endpoint;
        }

        /**
         * Sets the request body.
         *
         * @param request the OpenAI-format body, not copied
         * @return this builder
         */
        public Builder request(ObjectNode request) {
            this.request = request;
            return this;
        }

        /**
         * Sets the response, for after-request checks.
         *
         * @param response the OpenAI-format body, not copied
         * @param status   its HTTP status
         * @return this builder
         */
        public Builder response(ObjectNode response, int status) {
            this.response = response;
            this.responseStatus = status;
            return this;
        }

        /**
         * Sets the provider id.
         *
         * @param provider e.g. {@code openai}
         * @return this builder
         */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /**
         * Adds request metadata.
         *
         * @param metadata keys and values
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata.putAll(metadata);
            return this;
        }

        /**
         * Adds client request headers.
         *
         * @param headers names lower-cased
         * @return this builder
         */
        public Builder requestHeaders(Map<String, String> headers) {
            this.requestHeaders.putAll(headers);
            return this;
        }

        /**
         * Marks a streamed request.
         *
         * @param streaming whether the request asked for a stream
         * @return this builder
         */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /**
         * Sets the transport checks use to call out.
         *
         * @param transport the transport; null for none
         * @return this builder
         */
        public Builder transport(@Nullable Transport transport) {
            this.transport = transport;
            return this;
        }

        /**
         * Sets the clock checks read time from.
         *
         * @param clock the clock; null for the system UTC clock
         * @return this builder
         */
        public Builder clock(@Nullable Clock clock) {
            this.clock = clock;
            return this;
        }

        /** {@return the context} */
        public CheckContext build() {
            return new CheckContext(this);
        }
    }
}
