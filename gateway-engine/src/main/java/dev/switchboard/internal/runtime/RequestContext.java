package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.internal.trace.TraceRecorder;

/** Per-request state shared by every leaf the router tries. */
final class RequestContext {
    final GatewayRequest request;
    final Endpoint endpoint;
    final TraceRecorder trace;
    final boolean stream;
    /** The thread blocked in {@code Gateway.execute}, or null for {@code executeAsync}. */
    final Thread blockingCaller;
    /**
     * Where this request's work continues after a hand-off (a retry wait, a timeout, an answer
     * delivered on a transport's thread): the caller's thread for {@code execute}, the gateway's
     * executor for {@code executeAsync}. Never the timer.
     */
    final java.util.concurrent.Executor executor;
    /** The request's observer, made on the caller's thread; {@code CallListener.NONE} when none is installed. */
    final dev.switchboard.spi.CallListener listener;
    /** The caller's cancellation of the request ({@code executeAsync}'s future cancelled). */
    final Cancellation cancellation = new Cancellation();

    private JsonNode queryContext;

    RequestContext(
            GatewayRequest request,
            TraceRecorder trace,
            Thread blockingCaller,
            java.util.concurrent.Executor executor,
            dev.switchboard.spi.CallListener listener) {
        this.request = request;
        this.listener = listener;
        this.blockingCaller = blockingCaller;
        this.executor = executor;
        this.endpoint = request.endpoint();
        this.trace = trace;
        this.stream = request.isStream();
    }

    /** {@code {"metadata":{…},"params":<raw body>,"url":{"pathname":…}}} for conditional routing. */
    JsonNode queryContext() {
        if (queryContext == null) {
            queryContext = buildQueryContext(request);
        }
        return queryContext;
    }

    static JsonNode buildQueryContext(GatewayRequest request) {
        ObjectNode ctx = Json.object();
        ObjectNode md = ctx.putObject("metadata");
        request.metadata().forEach(md::put);
        // a multipart upload's text fields are params.* too (params.model of a transcription)
        ctx.set("params", request.paramsView() == null ? Json.object() : request.paramsView());
        ctx.putObject("url")
                .put(
                        "pathname",
                        request.endpoint() == Endpoint.PROXY
                                ? request.header("x-switchboard-path").orElse(Endpoint.PROXY.path())
                                : request.endpoint().path());
        return ctx;
    }
}
