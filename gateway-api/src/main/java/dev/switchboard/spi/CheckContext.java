package dev.switchboard.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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

    public static Builder builder(HookEvent event, Endpoint endpoint) {
        return new Builder(event, endpoint);
    }

    public HookEvent event() {
        return event;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The OpenAI-format request body; read-only by contract (return a transformed copy instead). */
    public ObjectNode request() {
        return request;
    }

    /** The OpenAI-format response body (after-request hooks only), else null. */
    public ObjectNode response() {
        return response;
    }

    public int responseStatus() {
        return responseStatus;
    }

    public String provider() {
        return provider;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Client request headers, lower-cased names. */
    public Map<String, String> requestHeaders() {
        return requestHeaders;
    }

    public boolean isStreaming() {
        return streaming;
    }

    public Transport transport() {
        return transport;
    }

    public Clock clock() {
        return clock;
    }

    /** The text a check looks at: the request's last message before the call, the answer's first choice after. */
    public String text() {
        return event == HookEvent.BEFORE_REQUEST ? requestText() : responseText();
    }

    public String requestText() {
        return HookText.requestText(endpoint, request);
    }

    public String responseText() {
        return HookText.responseText(endpoint, response);
    }

    /** The JSON the check is about: request before the call, response after. */
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

        public Builder request(ObjectNode request) {
            this.request = request;
            return this;
        }

        public Builder response(ObjectNode response, int status) {
            this.response = response;
            this.responseStatus = status;
            return this;
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata.putAll(metadata);
            return this;
        }

        public Builder requestHeaders(Map<String, String> headers) {
            this.requestHeaders.putAll(headers);
            return this;
        }

        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public CheckContext build() {
            return new CheckContext(this);
        }
    }
}
