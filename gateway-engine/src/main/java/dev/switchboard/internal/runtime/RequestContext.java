package dev.switchboard.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.Json;
import dev.switchboard.internal.trace.TraceRecorder;
import java.util.LinkedHashMap;
import java.util.Map;

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
    final Cancellation cancellation;
    /**
     * The caller's {@code previous_response_id} when the gateway expanded it from its own store (the
     * request then carries the whole conversation instead), else null.
     */
    String previousResponseId;

    /** The context this one was derived from for one side of a hedge (or a hedge note), or null. */
    final RequestContext parent;
    /** Notes added to every attempt recorded under this context (hedge decisions); guarded by itself. */
    private final java.util.List<String> notes = new java.util.ArrayList<>(0);
    /** The trace indices of the attempts recorded under this context; guarded by {@link #notes}. */
    private final java.util.List<Integer> recorded = new java.util.ArrayList<>(0);
    /** The option index of the last leaf this context tried ({@code config.targets[1]}), or null. */
    volatile String lastLeaf;

    private JsonNode queryContext;
    /** The prompt's token bound as the caller sent it, once computed ({@link #promptBound}); -1 before. */
    private volatile long promptBound = -1;

    RequestContext(
            GatewayRequest request,
            TraceRecorder trace,
            Thread blockingCaller,
            java.util.concurrent.Executor executor,
            dev.switchboard.spi.CallListener listener) {
        this(request, trace, blockingCaller, executor, listener, new Cancellation(), null);
    }

    private RequestContext(
            GatewayRequest request,
            TraceRecorder trace,
            Thread blockingCaller,
            java.util.concurrent.Executor executor,
            dev.switchboard.spi.CallListener listener,
            Cancellation cancellation,
            RequestContext parent) {
        this.parent = parent;
        this.request = request;
        this.listener = listener;
        this.blockingCaller = blockingCaller;
        this.executor = executor;
        this.endpoint = request.endpoint();
        this.trace = trace;
        this.stream = request.isStream();
        this.cancellation = cancellation;
    }

    /**
     * This request as one leaf sends it after translating it to another endpoint (a Responses request
     * sent as chat): the same trace, caller, listener and cancellation, another request.
     */
    RequestContext translated(GatewayRequest as) {
        RequestContext c = new RequestContext(as, trace, blockingCaller, executor, listener, cancellation, parent);
        c.previousResponseId = previousResponseId;
        c.queryContext = queryContext;
        return c;
    }

    /**
     * One side of a hedge: the same request and trace, cancelled on its own ({@code own}, a child of
     * this context's cancellation), never sent on the blocked caller's thread (the other side must
     * be able to start meanwhile), its attempts noted with {@code note}.
     */
    RequestContext hedgeSide(Cancellation own, String note) {
        RequestContext c = new RequestContext(request, trace, null, executor, listener, own, this);
        c.previousResponseId = previousResponseId;
        c.queryContext = queryContext;
        c.note(note);
        return c;
    }

    /** This context with {@code note} on every attempt recorded under it; the same cancellation and caller. */
    RequestContext noted(String note) {
        RequestContext c = new RequestContext(request, trace, blockingCaller, executor, listener, cancellation, this);
        c.previousResponseId = previousResponseId;
        c.queryContext = queryContext;
        c.note(note);
        return c;
    }

    /**
     * Adds a note to the attempts recorded under this context from now on and to those already
     * recorded (a hedge's verdict).
     */
    void note(String note) {
        java.util.List<Integer> done;
        synchronized (notes) {
            notes.add(note);
            done = java.util.List.copyOf(recorded);
        }
        for (int index : done) {
            trace.updateAttempt(index, a -> AttemptRecorder.withNote(a, note));
        }
    }

    /** The notes of every attempt recorded under this context, outermost first. */
    java.util.List<String> notes() {
        java.util.List<String> out = parent == null ? new java.util.ArrayList<>() : parent.notes();
        synchronized (notes) {
            out.addAll(notes);
        }
        return out;
    }

    /** An attempt recorded under this context (and its parents) at {@code index} of the trace. */
    void recorded(int index) {
        synchronized (notes) {
            recorded.add(index);
        }
        if (parent != null) {
            parent.recorded(index);
        }
    }

    /** The leaf this context tried last (and every context it was derived from). */
    void leaf(String path) {
        lastLeaf = path;
        if (parent != null) {
            parent.leaf(path);
        }
    }

    /** {@code {"metadata":{…},"params":<raw body>,"url":{"pathname":…}}} for conditional routing. */
    JsonNode queryContext() {
        if (queryContext == null) {
            queryContext = buildQueryContext(request);
        }
        return queryContext;
    }

    /**
     * The request's metadata as conditions, hooks and the trace see it: the {@code x-portkey-metadata}
     * header's JSON object (values as text, an array or object as its JSON; an unreadable header counts as {@code {}}, as in Portkey),
     * then the request's own {@link GatewayRequest#metadata()} entries, which win on a shared key.
     */
    static Map<String, String> metadataOf(GatewayRequest request) {
        String header = request.header("x-portkey-metadata").orElse(null);
        if (header == null) {
            return request.metadata();
        }
        Map<String, String> md = new LinkedHashMap<>();
        try {
            JsonNode n = Json.parse(header);
            n.properties().iterator().forEachRemaining(f -> md.put(f.getKey(), text(f.getValue())));
        } catch (IllegalArgumentException ignored) {
            // Portkey treats unreadable metadata as {}
        }
        md.putAll(request.metadata());
        return md;
    }

    /** A metadata value as text: a string as is, an array or object as its JSON (not the empty string). */
    private static String text(JsonNode v) {
        return v.isContainerNode() ? v.toString() : v.asText();
    }

    static JsonNode buildQueryContext(GatewayRequest request) {
        ObjectNode ctx = Json.object();
        ObjectNode md = ctx.putObject("metadata");
        metadataOf(request).forEach(md::put);
        // a multipart upload's text fields are params.* too (params.model of a transcription)
        ctx.set("params", request.paramsView() == null ? Json.object() : request.paramsView());
        ctx.putObject("url").put("pathname", request.path());
        return ctx;
    }

    /**
     * The token bound of the request's prompt ({@code TokenEstimator.promptBound}), computed from
     * {@code body} the first time an attempt asks and shared by every later attempt, retries and
     * fallback targets alike. Only for a body whose prompt fields are the caller's (no before-hook
     * rewrite, no {@code override_params} of a prompt field).
     */
    long promptBound(com.fasterxml.jackson.databind.node.ObjectNode body) {
        long b = promptBound;
        if (b < 0) {
            b = dev.switchboard.internal.accounting.TokenEstimator.promptBound(body);
            promptBound = b;
        }
        return b;
    }
}
