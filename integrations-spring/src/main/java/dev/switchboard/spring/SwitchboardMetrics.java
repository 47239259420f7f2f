package dev.switchboard.spring;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.CallListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for every request the gateway finishes (installed by the auto-configuration when
 * a {@code MeterRegistry} bean exists; usable on its own as a {@code Gateway.Builder.callListenerFactory}):
 *
 * <ul>
 *   <li>{@code switchboard.requests} (counter): {@code outcome} ({@code success}|{@code error}),
 *       {@code status} (the class of the status returned to the caller: {@code 2xx}, {@code 4xx},
 *       {@code 5xx}, …), {@code provider} (of the last attempt, {@code none} without one)</li>
 *   <li>{@code switchboard.attempts} (counter): {@code provider}, {@code outcome} ({@code success},
 *       {@code cache_hit}, or the attempt's error class: {@code http_503}, {@code timeout},
 *       {@code circuit_open}, …)</li>
 *   <li>{@code switchboard.tokens} (counter): {@code provider}, {@code model}, {@code type}
 *       ({@code input}|{@code output}); what providers reported (or the gateway estimated) for the
 *       attempts they answered — cache hits are not counted</li>
 *   <li>{@code switchboard.cost} (counter, USD): {@code provider}, {@code model}; attempts whose cost
 *       is unknown (no price for the model) add nothing and are counted by
 *       {@code switchboard.cost.unknown} (counter: {@code provider}, {@code model})</li>
 *   <li>{@code switchboard.overhead} (timer): the request's latency minus the time its attempts spent
 *       waiting on providers — the gateway's own time</li>
 * </ul>
 *
 * <p>Tags are bounded: no trace ids, users, metadata or target paths. Models are the ones the config
 * and the callers name.
 */
public final class SwitchboardMetrics implements CallListener.Factory {
    private final MeterRegistry registry;
    private final CallListener listener = new CallListener() {
        @Override
        public void requestEnd(RequestTrace trace) {
            record(trace);
        }
    };

    /**
     * Creates the meters' recorder.
     *
     * @param registry where the meters are registered
     */
    public SwitchboardMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The listener of one request: it records the meters when the request (or its stream) ends.
     *
     * @param request the request starting
     * @return the listener (stateless, shared by every request)
     */
    @Override
    public CallListener create(GatewayRequest request) {
        return listener;
    }

    /**
     * Records the meters of one finished request.
     *
     * @param trace what the gateway did
     */
    public void record(RequestTrace trace) {
        List<Attempt> attempts = trace.attempts() == null ? List.of() : trace.attempts();
        Attempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        int status = trace.status();
        Counter.builder("switchboard.requests")
                .description("Requests the gateway answered")
                .tag("outcome", status >= 200 && status < 300 ? "success" : "error")
                .tag("status", statusClass(status))
                .tag("provider", last == null ? "none" : last.provider())
                .register(registry)
                .increment();
        long providerNanos = 0;
        for (Attempt a : attempts) {
            boolean cacheHit = isCacheHit(a);
            Counter.builder("switchboard.attempts")
                    .description("Attempts at providers, cache hits and skipped targets included")
                    .tag("provider", a.provider())
                    .tag("outcome", a.succeeded() ? (cacheHit ? "cache_hit" : "success") : errorClass(a))
                    .register(registry)
                    .increment();
            if (cacheHit) {
                continue;
            }
            providerNanos += nonNegative(a.latency()).toNanos();
            String model = a.model() == null ? "unknown" : a.model();
            Usage usage = a.usage();
            if (usage != null) {
                tokens(a.provider(), model, "input", usage.promptTokens());
                tokens(a.provider(), model, "output", usage.completionTokens());
            }
            Cost cost = a.cost();
            if (cost != null && cost.known()) {
                double usd = cost.usd().doubleValue();
                if (usd > 0) {
                    Counter.builder("switchboard.cost")
                            .description("Cost of the attempts, by the gateway's price catalog")
                            .baseUnit("usd")
                            .tag("provider", a.provider())
                            .tag("model", model)
                            .register(registry)
                            .increment(usd);
                }
            } else if (cost != null) {
                Counter.builder("switchboard.cost.unknown")
                        .description("Attempts whose cost is unknown (no price for the model)")
                        .tag("provider", a.provider())
                        .tag("model", model)
                        .register(registry)
                        .increment();
            }
        }
        Duration latency = nonNegative(trace.latency());
        Timer.builder("switchboard.overhead")
                .description("Request latency minus the time spent waiting on providers")
                .register(registry)
                .record(Duration.ofNanos(Math.max(0, latency.toNanos() - providerNanos)));
    }

    private void tokens(String provider, String model, String type, long count) {
        if (count > 0) {
            Counter.builder("switchboard.tokens")
                    .description("Tokens of the attempts providers answered")
                    .baseUnit("tokens")
                    .tag("provider", provider)
                    .tag("model", model)
                    .tag("type", type)
                    .register(registry)
                    .increment(count);
        }
    }

    private static boolean isCacheHit(Attempt a) {
        return a.cacheStatus() == CacheStatus.HIT || a.cacheStatus() == CacheStatus.SEMANTIC_HIT;
    }

    private static String errorClass(Attempt a) {
        if (a.errorClass() != null) {
            return a.errorClass();
        }
        return a.status() > 0 ? "http_" + a.status() : "error";
    }

    private static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
    }

    private static Duration nonNegative(@Nullable Duration d) {
        return d == null || d.isNegative() ? Duration.ZERO : d;
    }
}
