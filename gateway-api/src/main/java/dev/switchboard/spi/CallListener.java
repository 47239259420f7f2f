package dev.switchboard.spi;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import org.jspecify.annotations.Nullable;

/**
 * Observes one request phase by phase (OkHttp's {@code EventListener} idea): it watches the
 * pipeline, it does not sit in it. A {@link Factory} given to the gateway's builder makes one
 * listener per request, <em>on the caller's thread</em> as the request starts, so the listener can
 * capture that thread's context (an OpenTelemetry span, a logging MDC, a tenant) and use it in the
 * later callbacks, which may come on other threads (the gateway's executor, a transport's thread).
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder().config(json)
 *         .callListenerFactory(request -> new CallListener() {
 *             final long start = System.nanoTime();
 *             public void requestEnd(RequestTrace trace) { metrics.record(System.nanoTime() - start); }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>Every method does nothing by default. The callbacks of one request never run concurrently with
 * each other; they must be fast. An exception thrown by one is logged and ignored. They see no
 * secrets: no credentials, and the request only as the caller built it. {@link LogSink} stays the
 * place for finished traces; a listener adds the timing and context of each phase.
 */
public interface CallListener {
    /** A listener that observes nothing. */
    CallListener NONE = new CallListener() {};

    /** Makes the listener of each request. */
    @FunctionalInterface
    interface Factory {
        /**
         * Called once per request, on the caller's thread, before anything else happens for it.
         *
         * @param request the request as the caller built it
         * @return the request's listener; {@link CallListener#NONE} to observe nothing
         */
        CallListener create(GatewayRequest request);
    }

    /**
     * The request starts (right after {@link Factory#create}, on the caller's thread).
     *
     * @param request the request
     */
    default void requestStart(GatewayRequest request) {}

    /**
     * An attempt at a provider starts (the request is about to be sent).
     *
     * @param targetPath  the target's option index, e.g. {@code config.targets[1]}
     * @param provider    the provider id
     * @param model       the model asked for, or null
     * @param retryNumber 0 for the first attempt at this target, then 1, 2, …
     */
    default void attemptStart(String targetPath, String provider, @Nullable String model, int retryNumber) {}

    /**
     * The first event of a streamed answer arrived from the provider.
     *
     * @param targetPath the target's option index
     */
    default void firstEvent(String targetPath) {}

    /**
     * An attempt is over, as the trace records it: for a stream, when the stream ended. Also called
     * for a target that was never called (an open circuit, a denying guardrail, a refused budget),
     * with no {@link #attemptStart} before it, and for a cache hit.
     *
     * @param attempt the attempt, as in {@link RequestTrace#attempts()}
     */
    default void attemptEnd(Attempt attempt) {}

    /**
     * The response cache answered.
     *
     * @param targetPath the target's option index
     * @param status     {@link CacheStatus#HIT} or {@link CacheStatus#SEMANTIC_HIT}
     */
    default void cacheHit(String targetPath, CacheStatus status) {}

    /**
     * The caller's stream ended: its last event was delivered, or it failed, or the caller closed it.
     *
     * @param usage      the tokens used, reported or estimated; null when unknown
     * @param errorClass why it failed (as in {@link Attempt#errorClass()}), or null for a clean end
     */
    default void streamEnd(@Nullable Usage usage, @Nullable String errorClass) {}

    /**
     * The request is over and its trace finished (before the log sinks get it).
     *
     * @param trace what the gateway did; {@link RequestTrace#finished()} is true
     */
    default void requestEnd(RequestTrace trace) {}
}
