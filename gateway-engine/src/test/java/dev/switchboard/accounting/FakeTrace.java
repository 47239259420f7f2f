package dev.switchboard.accounting;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.HookResult;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A hand-built finished trace for sink and report tests. */
record FakeTrace(
        String traceId,
        Instant startedAt,
        int status,
        List<Attempt> attempts,
        String user,
        Map<String, String> metadata)
        implements RequestTrace {

    static Attempt attempt(String provider, String model, int status, Usage usage, Cost cost) {
        return new Attempt(
                "config.targets[0]",
                provider,
                model,
                status,
                Duration.ofMillis(42),
                0,
                status == 200 ? null : "http_" + status,
                status == 200 ? null : "upstream said no",
                usage,
                cost,
                null,
                Instant.parse("2026-07-24T10:00:00Z"),
                CacheStatus.MISS,
                List.of("dropped logit_bias"));
    }

    static Cost usd(String usd) {
        return Cost.usd(new BigDecimal(usd));
    }

    @Override
    public Endpoint endpoint() {
        return Endpoint.CHAT_COMPLETIONS;
    }

    @Override
    public String lastUsedOptionIndex() {
        return "config.targets[0]";
    }

    @Override
    public Duration latency() {
        return Duration.ofMillis(120);
    }

    @Override
    public CacheStatus cacheStatus() {
        return CacheStatus.MISS;
    }

    @Override
    public List<HookResult> hookResults() {
        return List.of();
    }

    @Override
    public int retryAttemptCount() {
        return 0;
    }

    @Override
    public Usage totalUsage() {
        Usage u = Usage.ZERO;
        for (Attempt a : attempts) {
            u = u.plus(a.usage());
        }
        return u;
    }

    @Override
    public Cost totalCost() {
        Cost c = Cost.ZERO;
        for (Attempt a : attempts) {
            c = c.plus(a.cost());
        }
        return c;
    }

    @Override
    public boolean finished() {
        return true;
    }
}
