package dev.switchboard.otel;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.HookResult;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A finished {@link RequestTrace} with exactly the values a test gives it. */
record TestTrace(
        String traceId,
        Endpoint endpoint,
        Instant startedAt,
        String lastUsedOptionIndex,
        int status,
        Duration latency,
        List<Attempt> attempts,
        CacheStatus cacheStatus,
        List<HookResult> hookResults,
        int retryAttemptCount,
        Usage totalUsage,
        Cost totalCost,
        String user,
        Map<String, String> metadata,
        boolean finished)
        implements RequestTrace {

    /** A trace whose totals are the sums of its attempts, as the gateway computes them. */
    static TestTrace of(
            Endpoint endpoint,
            Instant startedAt,
            Duration latency,
            int status,
            int retryAttemptCount,
            CacheStatus cacheStatus,
            List<Attempt> attempts) {
        Usage usage = Usage.ZERO;
        Cost cost = Cost.ZERO;
        for (Attempt a : attempts) {
            usage = usage.plus(a.usage());
            cost = cost.plus(a.cost());
        }
        String lastPath = attempts.isEmpty()
                ? "config"
                : attempts.get(attempts.size() - 1).targetPath();
        return new TestTrace(
                "trace-123",
                endpoint,
                startedAt,
                lastPath,
                status,
                latency,
                List.copyOf(attempts),
                cacheStatus,
                List.of(),
                retryAttemptCount,
                usage,
                cost,
                "user-9",
                Map.of("team", "search"),
                true);
    }

    static Attempt attempt(
            String targetPath,
            String provider,
            String model,
            int status,
            Instant startedAt,
            Duration latency,
            int retryNumber,
            String errorClass,
            Usage usage,
            Cost cost,
            CacheStatus cacheStatus) {
        return new Attempt(
                targetPath,
                provider,
                model,
                status,
                latency,
                retryNumber,
                errorClass,
                errorClass == null ? null : "upstream said no",
                usage,
                cost,
                null,
                startedAt,
                cacheStatus,
                List.of());
    }
}
