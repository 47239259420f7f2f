package dev.switchboard.accounting;

import dev.switchboard.api.RequestTrace;
import dev.switchboard.spi.LogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one structured JSON line per request ({@link TraceJson}) at INFO on the logger
 * {@value #LOGGER}, so the application's logging setup decides where it goes.
 *
 * <pre>{@code
 * Gateway.builder().logSink(new Slf4jLogSink())...
 * }</pre>
 */
public final class Slf4jLogSink implements LogSink {
    /** The logger name, so the application can route or silence the request log. */
    public static final String LOGGER = "switchboard.requests";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(RequestTrace trace) {
        if (LOG.isInfoEnabled()) {
            LOG.info(TraceJson.toLine(trace));
        }
    }
}
