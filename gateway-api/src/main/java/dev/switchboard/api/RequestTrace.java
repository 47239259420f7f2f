package dev.switchboard.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway did for one request: the route taken, every attempt, hooks, cache, usage
 * and cost. {@link dev.switchboard.spi.LogSink}s receive the same object once the request (or its
 * stream) has finished.
 */
public interface RequestTrace {
    String traceId();

    Endpoint endpoint();

    Instant startedAt();

    /** JSON path of the leaf that produced the answer ({@code config.targets[0].targets[1]}), or {@code config}. */
    String lastUsedOptionIndex();

    /** Final status returned to the caller. */
    int status();

    /** Wall time from the call to the answer (for streams: to the end of the stream, once finished). */
    Duration latency();

    List<Attempt> attempts();

    CacheStatus cacheStatus();

    List<HookResult> hookResults();

    /** Value of {@code x-portkey-retry-attempt-count}: 0, the retry that succeeded, or -1 when exhausted. */
    int retryAttemptCount();

    /** Sum of the usage of all attempts. */
    Usage totalUsage();

    /** Sum of the cost of all attempts; unknown when any attempt's cost is unknown. */
    Cost totalCost();

    /** The {@code user} field of the request body, if any. */
    String user();

    Map<String, String> metadata();

    /** True once the request (including any stream) has finished and nothing more will be recorded. */
    boolean finished();
}
