package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.failure.Failure;
import dev.switchboard.internal.stream.AnswerStream;
import java.util.List;
import java.util.Map;

/**
 * What one pass through a leaf's pipeline produced: a JSON answer or a stream, with the facts the
 * trace and the router need. Immutable except for the stream's own life; built by name:
 *
 * <pre>{@code
 * LeafResult.builder(200).body(answer).provider("openai").model("gpt-4o").usage(usage).build();
 * LeafResult.failed(408, ErrorBody.of(...), Failure.of(FailureKind.TIMEOUT, "no answer"), "openai", "gpt-4o");
 * }</pre>
 */
final class LeafResult {
    static final int CLOSED_STATUS = 503;
    static final String CLOSED = "gateway_closed";
    static final String CLOSED_MESSAGE =
            "the gateway was closed while this request was in flight;" + " no further attempt was made";
    private final int status;
    private final Map<String, String> headers;
    private final ObjectNode body;
    private final AnswerStream stream;
    private final Failure failure;
    private final String provider;
    private final String model;
    private final long upstreamNanos;
    private final Usage usage;
    private final Cost saved;
    private final CacheStatus cacheStatus;
    private final List<String> notes;
    private final ObjectNode providerBody;
    private final dev.switchboard.api.Body binary;
    private final dev.switchboard.accounting.BillableUnits units;

    private LeafResult(Builder b) {
        this.binary = b.binary;
        this.units = b.units;
        this.status = b.status;
        this.headers = Map.copyOf(b.headers);
        this.body = b.body;
        this.stream = b.stream;
        this.failure = b.failure;
        this.provider = b.provider;
        this.model = b.model;
        this.upstreamNanos = b.upstreamNanos;
        this.usage = b.usage;
        this.saved = b.saved;
        this.cacheStatus = b.cacheStatus;
        this.notes = List.copyOf(b.notes);
        this.providerBody = b.providerBody;
    }

    /** A builder for a result with this status (the one the caller would see, after hooks: 246/446). */
    static Builder builder(int status) {
        return new Builder(status);
    }

    /** A failure produced for this target, with its error envelope. */
    static LeafResult failed(int status, ObjectNode body, Failure failure, String provider, String model) {
        return builder(status)
                .body(body)
                .failure(failure)
                .provider(provider)
                .model(model)
                .build();
    }

    /**
     * The answer of a request that would start a new attempt (a retry, a fallback's next target)
     * after the gateway was closed: 503 {@code gateway_closed}; neither retried nor moved on from.
     */
    static LeafResult closed(String provider, String model) {
        return failed(
                CLOSED_STATUS,
                dev.switchboard.api.ErrorBody.of(CLOSED_MESSAGE, CLOSED, null, CLOSED),
                Failure.of(dev.switchboard.internal.failure.FailureKind.CLOSED, CLOSED_MESSAGE),
                provider,
                model);
    }

    /** A builder holding this result's values. */
    Builder toBuilder() {
        Builder b = new Builder(status);
        b.headers = headers;
        b.body = body;
        b.stream = stream;
        b.failure = failure;
        b.provider = provider;
        b.model = model;
        b.upstreamNanos = upstreamNanos;
        b.usage = usage;
        b.saved = saved;
        b.cacheStatus = cacheStatus;
        b.notes = notes;
        b.providerBody = providerBody;
        b.binary = binary;
        b.units = units;
        return b;
    }

    /** What an image, audio or moderation answer is billed by besides tokens; null for other endpoints. */
    dev.switchboard.accounting.BillableUnits units() {
        return units;
    }

    /** Status the caller would see. */
    int status() {
        return status;
    }

    /** Upstream headers to pass through (lower-case names), without {@code x-portkey-*}. */
    Map<String, String> headers() {
        return headers;
    }

    /** The OpenAI-format JSON (answer or error envelope); null for a stream. */
    ObjectNode body() {
        return body;
    }

    /** A binary answer (bytes, or a download the caller reads as it arrives); null otherwise. */
    public dev.switchboard.api.Body binary() {
        return binary;
    }

    /** The streamed answer (a streamed 2xx) on its way back; null otherwise. */
    AnswerStream stream() {
        return stream;
    }

    /** This result with its stream wrapped by a stage on the way back. */
    LeafResult withStream(AnswerStream wrapped) {
        return toBuilder().stream(wrapped).build();
    }

    /** Why the attempt failed; null on success. */
    Failure failure() {
        return failure;
    }

    /** The trace's error class; null on success. */
    String errorClass() {
        return failure == null ? null : failure.errorClass();
    }

    /** The failure's message; null on success. */
    String errorMessage() {
        return failure == null ? null : failure.message();
    }

    /**
     * A gateway-side failure of this target (unsupported endpoint, open circuit, refused
     * admission, crash): a fallback moves on whatever its status list says.
     */
    boolean moveOn() {
        return failure != null && failure.kind().movesOn();
    }

    /** Provider id of the target. */
    String provider() {
        return provider;
    }

    /** Model asked for. */
    String model() {
        return model;
    }

    /** Time spent on the provider (or the cache lookup). */
    long upstreamNanos() {
        return upstreamNanos;
    }

    /** Tokens, null if unknown (streams: known when they end). */
    Usage usage() {
        return usage;
    }

    /** For a cache hit: the cost it avoided; else null. */
    Cost saved() {
        return saved;
    }

    /** The cache's verdict for this leaf, or null when the cache is off. */
    CacheStatus cacheStatus() {
        return cacheStatus;
    }

    /** Notes for the trace's attempt. */
    List<String> notes() {
        return notes;
    }

    /**
     * The answer as the provider gave it, before the after-request hooks rewrote it; set only when a
     * stage above asked for it (the cache stores the provider's answer: a hit runs the hooks again).
     */
    ObjectNode providerBody() {
        return providerBody;
    }

    /** Whether the status is 2xx. */
    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** Builds a {@link LeafResult} by name; every field but the status is optional. */
    static final class Builder {
        private int status;
        private Map<String, String> headers = Map.of();
        private ObjectNode body;
        private AnswerStream stream;
        private Failure failure;
        private String provider;
        private String model;
        private long upstreamNanos;
        private Usage usage;
        private dev.switchboard.accounting.BillableUnits units;
        private Cost saved;
        private CacheStatus cacheStatus;
        private List<String> notes = List.of();
        private ObjectNode providerBody;
        private dev.switchboard.api.Body binary;

        private Builder(int status) {
            this.status = status;
        }

        /** The status the caller would see. */
        Builder status(int s) {
            this.status = s;
            return this;
        }

        /** Upstream headers to pass through. */
        Builder headers(Map<String, String> h) {
            this.headers = h;
            return this;
        }

        /** The JSON answer or error envelope. */
        Builder body(ObjectNode b) {
            this.body = b;
            return this;
        }

        /** The streamed answer. */
        Builder stream(AnswerStream s) {
            this.stream = s;
            return this;
        }

        /** Why the attempt failed; null for a success. */
        Builder failure(Failure f) {
            this.failure = f;
            return this;
        }

        /** The target's provider id. */
        Builder provider(String p) {
            this.provider = p;
            return this;
        }

        /** The model asked for. */
        Builder model(String m) {
            this.model = m;
            return this;
        }

        /** Time spent on the provider. */
        Builder upstreamNanos(long n) {
            this.upstreamNanos = n;
            return this;
        }

        /** Tokens used. */
        Builder usage(Usage u) {
            this.usage = u;
            return this;
        }

        /** The cost a cache hit avoided. */
        Builder units(dev.switchboard.accounting.BillableUnits u) {
            this.units = u;
            return this;
        }

        Builder saved(Cost c) {
            this.saved = c;
            return this;
        }

        /** The cache's verdict. */
        Builder cacheStatus(CacheStatus s) {
            this.cacheStatus = s;
            return this;
        }

        /** Notes for the trace. */
        Builder notes(List<String> n) {
            this.notes = n;
            return this;
        }

        /** The provider's answer before the after-request hooks. */
        Builder providerBody(ObjectNode b) {
            this.providerBody = b;
            return this;
        }

        /** A binary answer (bytes or streamed bytes). */
        public Builder binary(dev.switchboard.api.Body b) {
            this.binary = b;
            return this;
        }

        /** The result. */
        LeafResult build() {
            return new LeafResult(this);
        }
    }
}
