package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.stream.GatewayEventStream;
import java.util.List;
import java.util.Map;

/**
 * What one pass through a leaf's pipeline produced: a JSON answer or a stream, with the facts the
 * trace and the router need. Immutable except for the stream's own life.
 *
 * @param status        status the caller would see (after hooks: 246/446)
 * @param headers       upstream headers to pass through (lower-case names), without x-portkey-*
 * @param body          the OpenAI-format JSON (answer or error envelope); null for a stream
 * @param stream        the caller's stream for a streamed 2xx; null otherwise
 * @param moveOn        a gateway-side failure of this target (unsupported endpoint, open circuit,
 *                      refused admission): a fallback moves on whatever its status list says
 * @param retryable     the provider signalled a retryable condition beyond the status (overload)
 * @param errorClass    null on success
 * @param usage         tokens, null if unknown (streams: filled when they end)
 * @param saved         for a cache hit: the cost it avoided
 * @param streamAttempt for a stream: where the pump reports the attempt's end
 */
public record LeafResult(
        int status,
        Map<String, String> headers,
        ObjectNode body,
        GatewayEventStream stream,
        boolean moveOn,
        boolean retryable,
        String errorClass,
        String errorMessage,
        String provider,
        String model,
        long upstreamNanos,
        Usage usage,
        Cost saved,
        CacheStatus cacheStatus,
        List<String> notes,
        StreamAttempt streamAttempt) {

    public LeafResult {
        headers = Map.copyOf(headers);
        notes = List.copyOf(notes);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public LeafResult withStatusAndBody(int newStatus, ObjectNode newBody, String newErrorClass, String message) {
        return new LeafResult(newStatus, headers, newBody, stream, moveOn, retryable, newErrorClass, message, provider,
                model, upstreamNanos, usage, saved, cacheStatus, notes, streamAttempt);
    }

    public LeafResult withCacheStatus(CacheStatus s) {
        return new LeafResult(status, headers, body, stream, moveOn, retryable, errorClass, errorMessage, provider,
                model, upstreamNanos, usage, saved, s, notes, streamAttempt);
    }

    /** A failure produced by the gateway itself for this target. */
    public static LeafResult gatewayFailure(int status, ObjectNode body, boolean moveOn, String errorClass,
                                            String message, String provider, String model) {
        return new LeafResult(status, Map.of(), body, null, moveOn, false, errorClass, message, provider, model, 0,
                null, null, null, List.of(), null);
    }
}
