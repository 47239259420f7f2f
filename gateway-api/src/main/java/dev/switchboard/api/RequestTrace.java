package dev.switchboard.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the gateway did for one request: the route taken, every attempt, hooks, cache, usage
 * and cost. {@link dev.switchboard.spi.LogSink}s receive the same object once the request (or its
 * stream) has finished.
 */
public interface RequestTrace {
    /** {@return the trace id: the caller's {@code x-portkey-trace-id}, or a generated one} */
    String traceId();

    /** {@return the operation the request addressed} */
    Endpoint endpoint();

    /** {@return when the gateway received the request} */
    Instant startedAt();

    /**
     * {@return the JSON path of the leaf that produced the answer ({@code config.targets[0].targets[1]}),
     * or {@code config}}
     */
    String lastUsedOptionIndex();

    /** {@return the final status returned to the caller} */
    int status();

    /** {@return the wall time from the call to the answer (for streams: to the end of the stream, once finished)} */
    Duration latency();

    /** {@return every provider attempt, in the order they started} */
    List<Attempt> attempts();

    /** {@return how the cache treated the request} */
    CacheStatus cacheStatus();

    /** {@return the results of every guardrail and mutator that ran, before and after the request} */
    List<HookResult> hookResults();

    /** {@return the value of {@code x-portkey-retry-attempt-count}: 0, the retry that succeeded, or -1 when exhausted} */
    int retryAttemptCount();

    /** {@return the sum of the usage of all attempts} */
    Usage totalUsage();

    /** {@return the sum of the cost of all attempts; unknown when any attempt's cost is unknown} */
    Cost totalCost();

    /** {@return the {@code user} field of the request body, or null} */
    @Nullable
    String user();

    /** {@return the request's metadata ({@code x-portkey-metadata} and {@link GatewayRequest} metadata)} */
    Map<String, String> metadata();

    /**
     * {@return the id of the prompt template the request was rendered from
     * ({@code GatewayRequest.prompt}, {@code POST /v1/prompts/{id}/completions}), or null}
     */
    default @Nullable String promptId() {
        return null;
    }

    /** {@return the version of the prompt template the request was rendered from, or null} */
    default @Nullable Integer promptVersion() {
        return null;
    }

    /** {@return true once the request (including any stream) has finished and nothing more will be recorded} */
    boolean finished();
}
