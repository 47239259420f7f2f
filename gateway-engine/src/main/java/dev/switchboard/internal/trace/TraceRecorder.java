package dev.switchboard.internal.trace;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.CacheStatus;
import dev.switchboard.api.Cost;
import dev.switchboard.api.Endpoint;
import dev.switchboard.api.HookResult;
import dev.switchboard.api.RequestTrace;
import dev.switchboard.api.Usage;
import dev.switchboard.internal.Redactor;
import dev.switchboard.spi.CallListener;
import dev.switchboard.spi.LogSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mutable, thread-safe {@link RequestTrace} the engine fills while a request runs. Readers get
 * copies; {@link #finish} hands the trace to the log sinks exactly once.
 */
public final class TraceRecorder implements RequestTrace {
    private static final Logger LOG = LoggerFactory.getLogger(TraceRecorder.class);

    private final String traceId;
    private final Endpoint endpoint;
    private final Instant startedAt;
    private final long startNanos;
    private final String user;
    private final Map<String, String> metadata;
    private final List<Attempt> attempts = new ArrayList<>(2);
    private final List<HookResult> hooks = new ArrayList<>(0);
    private String lastUsedOptionIndex = "config";
    private int status;
    private Duration latency = Duration.ZERO;
    private CacheStatus cacheStatus = CacheStatus.DISABLED;
    private int retryAttemptCount;
    private boolean finished;
    private String promptId;
    private Integer promptVersion;
    /** Masks secrets in what the trace records: every attempt's message and notes, as it is added. */
    private volatile Redactor redactor = Redactor.patterns();

    public TraceRecorder(String traceId, Endpoint endpoint, Clock clock, String user, Map<String, String> metadata) {
        this.traceId = traceId;
        this.endpoint = endpoint;
        this.startedAt = clock.instant();
        this.startNanos = System.nanoTime();
        this.user = user;
        this.metadata = Map.copyOf(metadata);
    }

    /** {@return the redactor of this request: every secret the gateway and the request hold} */
    public Redactor redactor() {
        return redactor;
    }

    /** Sets the redactor of this request (the gateway's, extended by the request's own secrets). */
    public void redactor(Redactor r) {
        this.redactor = java.util.Objects.requireNonNull(r, "redactor");
    }

    /** Adds an attempt, redacted; returns its index for later replacement (streams finish later). */
    public synchronized int addAttempt(Attempt a) {
        attempts.add(redactor.redact(a));
        return attempts.size() - 1;
    }

    /** {@return the attempt at {@code index} as recorded (redacted)} */
    public synchronized Attempt attempt(int index) {
        return attempts.get(index);
    }

    /** Replaces the attempt at {@code index} (a stream that ended); returns the new one, redacted. */
    public synchronized Attempt updateAttempt(int index, UnaryOperator<Attempt> change) {
        Attempt a = redactor.redact(change.apply(attempts.get(index)));
        attempts.set(index, a);
        return a;
    }

    public synchronized void addHookResults(List<HookResult> results) {
        hooks.addAll(results);
    }

    public synchronized void lastUsedOptionIndex(String path) {
        this.lastUsedOptionIndex = path;
    }

    public synchronized void cacheStatus(CacheStatus s) {
        this.cacheStatus = s;
    }

    public synchronized void retryAttemptCount(int n) {
        this.retryAttemptCount = n;
    }

    public synchronized void status(int status) {
        this.status = status;
    }

    /** Elapsed nanoseconds since the request started (monotonic). */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Marks the request finished (once) and hands the trace to the sinks. */
    public void finish(int finalStatus, List<LogSink> sinks) {
        finish(finalStatus, sinks, CallListener.NONE);
    }

    /** Marks the request finished (once), tells the request's listener, then hands the trace to the sinks. */
    public void finish(int finalStatus, List<LogSink> sinks, CallListener listener) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            status = finalStatus;
            latency = Duration.ofNanos(elapsedNanos());
        }
        listener.requestEnd(this);
        for (LogSink s : sinks) {
            try {
                s.log(this);
            } catch (RuntimeException e) {
                LOG.warn("log sink {} failed: {}", s.getClass().getName(), redactor.redact(e.toString()));
            }
        }
    }

    @Override
    public String traceId() {
        return traceId;
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public synchronized String lastUsedOptionIndex() {
        return lastUsedOptionIndex;
    }

    @Override
    public synchronized int status() {
        return status;
    }

    @Override
    public synchronized Duration latency() {
        return finished ? latency : Duration.ofNanos(elapsedNanos());
    }

    @Override
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    @Override
    public synchronized CacheStatus cacheStatus() {
        return cacheStatus;
    }

    @Override
    public synchronized List<HookResult> hookResults() {
        return List.copyOf(hooks);
    }

    @Override
    public synchronized int retryAttemptCount() {
        return retryAttemptCount;
    }

    @Override
    public synchronized Usage totalUsage() {
        Usage u = Usage.ZERO;
        for (Attempt a : attempts) {
            u = u.plus(a.usage());
        }
        return u;
    }

    @Override
    public synchronized Cost totalCost() {
        Cost c = Cost.ZERO;
        for (Attempt a : attempts) {
            c = c.plus(a.cost());
        }
        return c;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Records the prompt template the request was rendered from (version null when it was not found). */
    public synchronized void prompt(String id, Integer version) {
        this.promptId = id;
        this.promptVersion = version;
    }

    @Override
    public synchronized String promptId() {
        return promptId;
    }

    @Override
    public synchronized Integer promptVersion() {
        return promptVersion;
    }

    @Override
    public synchronized boolean finished() {
        return finished;
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("trace ")
                .append(traceId)
                .append(" ")
                .append(endpoint)
                .append(" → ")
                .append(status)
                .append(" via ")
                .append(lastUsedOptionIndex)
                .append(" (cache ")
                .append(cacheStatus.header())
                .append(", retries ")
                .append(retryAttemptCount)
                .append(")\n");
        for (Attempt a : attempts) {
            sb.append("  ")
                    .append(a.targetPath())
                    .append(" ")
                    .append(a.provider())
                    .append("/")
                    .append(a.model())
                    .append(" retry ")
                    .append(a.retryNumber())
                    .append(" → ")
                    .append(a.status())
                    .append(" in ")
                    .append(a.latency().toMillis())
                    .append(" ms");
            if (a.errorClass() != null) {
                sb.append(" [")
                        .append(a.errorClass())
                        .append(": ")
                        .append(a.errorMessage())
                        .append("]");
            }
            if (a.usage() != null) {
                sb.append(" tokens ")
                        .append(a.usage().promptTokens())
                        .append("+")
                        .append(a.usage().completionTokens());
            }
            sb.append(" cost ").append(a.cost()).append('\n');
        }
        return sb.toString();
    }
}
