package dev.switchboard.accounting;

import dev.switchboard.api.RequestTrace;
import dev.switchboard.spi.LogSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every trace in memory, for tests and for a {@link UsageReport} over a short-lived process.
 *
 * <pre>{@code
 * InMemoryLogSink sink = new InMemoryLogSink();
 * Gateway g = Gateway.builder().config(json).logSink(sink).build();
 * g.execute(request);
 * assertEquals(1, sink.traces().size());
 * }</pre>
 */
public final class InMemoryLogSink implements LogSink {
    private final List<RequestTrace> traces = new CopyOnWriteArrayList<>();

    @Override
    public void log(RequestTrace trace) {
        traces.add(trace);
    }

    /** {@return a snapshot of the traces logged so far, oldest first} */
    public List<RequestTrace> traces() {
        return List.copyOf(traces);
    }

    /** Forgets every trace logged so far. */
    public void clear() {
        traces.clear();
    }
}
