package dev.switchboard.spi;

import java.io.IOException;

/**
 * A {@link Transport} read more of a provider's whole answer than the gateway's cap allows and
 * stopped (closing the connection) instead of buffering the rest. The gateway records the attempt
 * with the error class {@code answer_too_large} and answers 502; it is not retried — the same
 * request would get the same answer — but a fallback moves on as for any 5xx.
 */
public class AnswerTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The cap that was passed, in bytes. */
    private final long maxBytes;

    /**
     * Creates the exception.
     *
     * @param maxBytes the cap that was passed, in bytes
     */
    public AnswerTooLargeException(long maxBytes) {
        super("the provider's answer is larger than " + maxBytes + " bytes" + mib(maxBytes)
                + " (the gateway's answer size cap, Gateway.Builder.maxAnswerBytes)");
        this.maxBytes = maxBytes;
    }

    /** {@return the cap that was passed, in bytes} */
    public long maxBytes() {
        return maxBytes;
    }

    private static String mib(long bytes) {
        return bytes % (1024 * 1024) == 0 ? " (" + bytes / (1024 * 1024) + " MiB)" : "";
    }
}
