package dev.switchboard.server;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.spi.CallListener;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's Prometheus metrics ({@code GET /metrics}, text format 0.0.4), fed by the gateway's
 * {@link CallListener}s and by the server itself: requests by endpoint and status, attempts by provider
 * and status, tokens, cost, the gateway's overhead (request latency minus the time spent in provider
 * attempts) as a histogram, HTTP answers by status, and connections and requests in flight.
 *
 * <p>Give the same instance to the gateway and to the server:
 *
 * <pre>{@code
 * ServerMetrics metrics = new ServerMetrics();
 * Gateway gateway = Gateway.builder().config(json).callListenerFactory(metrics).build();
 * SwitchboardServer.builder().gateway(gateway).metrics(metrics).start();
 * }</pre>
 */
public final class ServerMetrics implements CallListener.Factory {
    /** Upper bounds of the overhead histogram, in seconds. */
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5
    };

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> cost = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> http = new ConcurrentHashMap<>();
    private final AtomicLongArray overheadBuckets = new AtomicLongArray(BUCKETS.length);
    private final LongAdder overheadCount = new LongAdder();
    private final DoubleAdder overheadSum = new DoubleAdder();
    private final LongAdder unknownCost = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    /** Creates empty metrics. */
    public ServerMetrics() {}

    @Override
    public CallListener create(GatewayRequest request) {
        return new CallListener() {
            @Override
            public void attemptEnd(Attempt a) {
                count(attempts, "provider=\"" + esc(a.provider()) + "\",status=\"" + a.status() + "\"");
                Usage u = a.usage();
                if (u != null) {
                    add(tokens, "provider=\"" + esc(a.provider()) + "\",type=\"prompt\"", u.promptTokens());
                    add(tokens, "provider=\"" + esc(a.provider()) + "\",type=\"completion\"", u.completionTokens());
                }
                BigDecimal usd = a.cost().usd();
                if (usd != null) {
                    cost.computeIfAbsent("provider=\"" + esc(a.provider()) + "\"", k -> new DoubleAdder())
                            .add(usd.doubleValue());
                } else {
                    unknownCost.increment();
                }
            }

            @Override
            public void requestEnd(RequestTrace trace) {
                count(
                        requests,
                        "endpoint=\"" + esc(trace.endpoint().name().toLowerCase(java.util.Locale.ROOT)) + "\",status=\""
                                + trace.status() + "\"");
                Duration upstream = Duration.ZERO;
                for (Attempt a : trace.attempts()) {
                    upstream = upstream.plus(a.latency());
                }
                Duration overhead = trace.latency().minus(upstream);
                observeOverhead(Math.max(0, overhead.toNanos()) / 1e9);
            }
        };
    }

    void observeOverhead(double seconds) {
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                overheadBuckets.incrementAndGet(i);
            }
        }
        overheadCount.increment();
        overheadSum.add(seconds);
    }

    void httpAnswered(int status) {
        count(http, "status=\"" + status + "\"");
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished() {
        inFlight.decrementAndGet();
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    /** {@return the number of requests being served now} */
    public int inFlight() {
        return inFlight.get();
    }

    /** {@return the number of open client connections} */
    public int openConnections() {
        return connections.get();
    }

    private static void count(Map<String, LongAdder> m, String labels) {
        add(m, labels, 1);
    }

    private static void add(Map<String, LongAdder> m, String labels, long n) {
        m.computeIfAbsent(labels, k -> new LongAdder()).add(n);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** {@return every metric in the Prometheus text exposition format} */
    public String render() {
        return render(List.of());
    }

    /**
     * Every metric in the Prometheus text exposition format, with the gateway's circuit breakers.
     *
     * @param breakers the gateway's breakers ({@code Gateway.circuitBreakers()}); an open one is a 1
     * @return the exposition text
     */
    public String render(List<dev.switchboard.CircuitBreakerState> breakers) {
        StringBuilder out = new StringBuilder(2048);
        out.append("# HELP switchboard_circuit_open Whether a target's circuit breaker is open (1) or closed (0).\n");
        out.append("# TYPE switchboard_circuit_open gauge\n");
        for (dev.switchboard.CircuitBreakerState b : breakers) {
            if (b.configured()) {
                out.append("switchboard_circuit_open{target=\"")
                        .append(esc(b.target()))
                        .append("\",provider=\"")
                        .append(esc(b.provider()))
                        .append("\"} ")
                        .append(b.open() ? 1 : 0)
                        .append('\n');
            }
        }
        counter(out, "switchboard_requests_total", "Gateway requests finished, by endpoint and status.", requests);
        counter(
                out,
                "switchboard_attempts_total",
                "Provider attempts, by provider and status (0: no answer).",
                attempts);
        counter(out, "switchboard_tokens_total", "Tokens used, reported or estimated, by provider and type.", tokens);
        out.append("# HELP switchboard_cost_usd_total Cost of the attempts with a known price, in USD.\n");
        out.append("# TYPE switchboard_cost_usd_total counter\n");
        new TreeMap<>(cost).forEach((k, v) -> out.append("switchboard_cost_usd_total{")
                .append(k)
                .append("} ")
                .append(v.sum())
                .append('\n'));
        out.append("# HELP switchboard_unknown_cost_attempts_total Attempts whose cost is unknown (no price).\n");
        out.append("# TYPE switchboard_unknown_cost_attempts_total counter\n");
        out.append("switchboard_unknown_cost_attempts_total ")
                .append(unknownCost.sum())
                .append('\n');
        out.append("# HELP switchboard_overhead_seconds Request latency minus the time in provider attempts.\n");
        out.append("# TYPE switchboard_overhead_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            out.append("switchboard_overhead_seconds_bucket{le=\"")
                    .append(BUCKETS[i])
                    .append("\"} ")
                    .append(overheadBuckets.get(i))
                    .append('\n');
        }
        out.append("switchboard_overhead_seconds_bucket{le=\"+Inf\"} ")
                .append(overheadCount.sum())
                .append('\n');
        out.append("switchboard_overhead_seconds_sum ")
                .append(overheadSum.sum())
                .append('\n');
        out.append("switchboard_overhead_seconds_count ")
                .append(overheadCount.sum())
                .append('\n');
        counter(out, "switchboard_http_responses_total", "HTTP answers of the server, by status.", http);
        out.append("# HELP switchboard_http_in_flight Requests being served now.\n");
        out.append("# TYPE switchboard_http_in_flight gauge\n");
        out.append("switchboard_http_in_flight ").append(inFlight.get()).append('\n');
        out.append("# HELP switchboard_http_connections Open client connections.\n");
        out.append("# TYPE switchboard_http_connections gauge\n");
        out.append("switchboard_http_connections ").append(connections.get()).append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, LongAdder> m) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(m).forEach((k, v) -> out.append(name)
                .append('{')
                .append(k)
                .append("} ")
                .append(v.sum())
                .append('\n'));
    }
}
