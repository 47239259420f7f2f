package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.ErrorBody;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.api.ServerSentEvent;
import dev.switchboard.internal.trace.TraceRecorder;
import dev.switchboard.spi.LogSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the routed leaf's result into the caller's {@link GatewayResponse}: the {@code x-portkey-*}
 * headers from the trace, a JSON body or the stream, and the finished trace handed to the log
 * sinks (for a stream, when it ends).
 */
final class ResponseAssembler {
    private final List<LogSink> sinks;

    ResponseAssembler(List<LogSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    /** The response for the leaf result the router settled on. */
    GatewayResponse respond(RequestContext rc, LeafResult r) {
        TraceRecorder trace = rc.trace;
        if (r.cacheStatus() != null) {
            trace.cacheStatus(r.cacheStatus());
        }
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        headers.put("x-portkey-last-used-option-index", trace.lastUsedOptionIndex());
        headers.put("x-portkey-trace-id", trace.traceId());
        headers.put("x-portkey-retry-attempt-count", Integer.toString(trace.retryAttemptCount()));
        headers.put("x-portkey-cache-status", trace.cacheStatus().header());
        if (r.provider() != null) {
            headers.put("x-portkey-provider", r.provider());
        }
        trace.status(r.status());
        if (r.stream() != null) {
            headers.put("content-type", "text/event-stream");
            // the outermost wrap: the trace is finished (and the sinks called) before the caller sees [DONE]
            dev.switchboard.api.EventStream events = r.stream()
                    .mapEnd(end -> {
                        rc.listener.streamEnd(
                                end.usage(), end.clean() ? null : end.failure().errorClass());
                        trace.finish(r.status(), sinks, rc.listener);
                        // the error event the gateway writes (an upstream error echoed, a timeout, a
                        // cap) is user-visible text like any error body: it may echo a key
                        ServerSentEvent error = end.errorEvent();
                        return error == null
                                ? end
                                : end.withErrorEvent(new ServerSentEvent(
                                        error.event(), trace.redactor().redact(error.data()), error.id()));
                    })
                    .deliverMapped();
            return GatewayResponse.ofStream(r.status(), headers, events, trace);
        }
        if (r.binary() != null) {
            // a binary answer (audio): the trace ends when the answer is handed over, not when it is read
            headers.put("content-type", r.binary().contentType());
            trace.finish(r.status(), sinks, rc.listener);
            Map<String, List<String>> values = new LinkedHashMap<>();
            headers.forEach((k, v) -> values.put(k, List.of(v)));
            return GatewayResponse.ofBody(r.status(), values, r.binary(), trace);
        }
        headers.put("content-type", "application/json");
        ObjectNode body = r.body() == null
                ? ErrorBody.of("empty answer", "api_error", null, null)
                : r.isSuccess() ? r.body() : (ObjectNode) trace.redactor().redact(r.body()); // errors may echo a key
        trace.finish(r.status(), sinks, rc.listener);
        return GatewayResponse.ofJson(r.status(), headers, body, trace);
    }

    /** An answer the gateway gives itself, without routing (a Responses API object it keeps). */
    GatewayResponse localAnswer(RequestContext rc, int status, com.fasterxml.jackson.databind.JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-portkey-trace-id", rc.trace.traceId());
        rc.trace.status(status);
        rc.trace.finish(status, sinks, rc.listener);
        return GatewayResponse.ofJson(status, headers, body, rc.trace);
    }

    /** An error the gateway produced before or instead of routing (bad config, a bug, closed). */
    GatewayResponse gatewayError(RequestContext rc, int status, String type, String message) {
        return gatewayError(rc, status, type, message, null, null);
    }

    /** As above, with the request field at fault and a machine-readable code. */
    GatewayResponse gatewayError(
            RequestContext rc, int status, String type, String message, String param, String code) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-portkey-trace-id", rc.trace.traceId());
        headers.put("x-portkey-gateway-exception", "true");
        rc.trace.finish(status, sinks, rc.listener);
        return GatewayResponse.ofJson(
                status, headers, ErrorBody.of(rc.trace.redactor().redact(message), type, param, code), rc.trace);
    }
}
