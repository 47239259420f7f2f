package dev.switchboard.internal.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The failure kinds keep the trace's error-class strings of before, and decide retry and fallback. */
class FailureTest {

    @Test
    void theTraceStringsOfEachKindAreTheOnesTestsAndTheReadmeRead() {
        assertEquals("network", Failure.of(FailureKind.NETWORK, "m").errorClass());
        assertEquals("timeout", Failure.of(FailureKind.TIMEOUT, "m").errorClass());
        assertEquals("stream_error", Failure.of(FailureKind.STREAM_BROKEN, "m").errorClass());
        assertEquals("stream_cut", Failure.of(FailureKind.STREAM_CUT, "m").errorClass());
        assertEquals("circuit_open", Failure.of(FailureKind.CIRCUIT_OPEN, "m").errorClass());
        assertEquals("hooks_failed", Failure.of(FailureKind.GUARDRAIL_DENY, "m").errorClass());
        assertEquals("gateway_closed", Failure.of(FailureKind.CLOSED, "m").errorClass());
        assertEquals("cancelled", Failure.of(FailureKind.CANCELLED, "m").errorClass());
        assertEquals("gateway_error", Failure.of(FailureKind.INTERNAL, "m").errorClass());
        assertEquals("http_503", Failure.httpStatus(503, false, "m").errorClass());
        assertEquals(FailureKind.OVERLOADED, Failure.httpStatus(529, true, "m").kind());
        assertEquals("budget_exceeded", Failure.refused("budget_exceeded", "m").errorClass());
    }

    @Test
    void onlyNetworkTimeoutAndEarlyBrokenStreamsAreRetriedWhateverTheStatusList() {
        Set<FailureKind> retryable = EnumSet.noneOf(FailureKind.class);
        for (FailureKind k : FailureKind.values()) {
            if (k.retryable()) {
                retryable.add(k);
            }
        }
        assertEquals(EnumSet.of(FailureKind.NETWORK, FailureKind.TIMEOUT, FailureKind.STREAM_BROKEN), retryable);
        assertTrue(FailureKind.REFUSED.movesOn());
        assertTrue(FailureKind.CIRCUIT_OPEN.movesOn());
        assertFalse(FailureKind.CLOSED.movesOn(), "a closed gateway does not move on to the next target");
        assertFalse(FailureKind.GUARDRAIL_DENY.movesOn());
    }

    @Test
    void aStreamFailureIsBrokenBeforeTheFirstEventAndCutAfterIt() {
        assertEquals(
                FailureKind.STREAM_BROKEN,
                Failure.stream("stream_error", "m", false).kind());
        assertEquals(
                FailureKind.PROVIDER_STREAM_ERROR,
                Failure.stream("overloaded_error", "m", false).kind());
        Failure cut = Failure.stream("overloaded_error", "m", true);
        assertEquals(FailureKind.STREAM_CUT, cut.kind());
        assertEquals("overloaded_error", cut.errorClass(), "the provider's type stays the trace's error class");
    }

    @Test
    void aKindWhoseErrorClassDependsOnTheFailureNeedsItsFactory() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Failure.of(FailureKind.HTTP_STATUS, "m"));
        assertTrue(e.getMessage().contains("HTTP_STATUS"), e.getMessage());
    }
}
