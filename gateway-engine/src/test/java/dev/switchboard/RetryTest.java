package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GatewayRequest;
import dev.switchboard.api.GatewayResponse;
import dev.switchboard.testkit.ManualClock;
import dev.switchboard.testkit.ManualSleeper;
import dev.switchboard.testkit.StubResponse;
import dev.switchboard.testkit.StubUpstream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retry rules (reference §2.3 plus DESIGN §3 decisions), with a manual clock: nothing really waits. */
class RetryTest {
    private StubUpstream stub;
    private ManualClock clock;
    private ManualSleeper sleeper;

    @BeforeEach
    void start() {
        stub = StubUpstream.start();
        clock = ManualClock.start();
        sleeper = new ManualSleeper(clock);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Gateway gateway(String retry) {
        return Gateway.builder()
                .config("{\"retry\":" + retry + ",\"provider\":\"openai\",\"api_key\":\"sk-test\","
                        + "\"custom_host\":\"" + stub.openAiBaseUrl() + "\"}")
                .clock(clock)
                .sleeper(sleeper)
                .build();
    }

    private static GatewayRequest chat() {
        return RoutingTest.chat();
    }

    @Test
    void retriesADefaultStatusWithExponentialBackoffAndReportsTheSuccessfulRetry() {
        stub.enqueue(StubResponse.error(503, "busy"));
        stub.enqueue(StubResponse.error(429, "slow down"));
        GatewayResponse r = gateway("{\"attempts\":3}").execute(chat());
        assertEquals(200, r.status());
        assertEquals(3, stub.hits());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeper.sleeps());
        assertEquals("2", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertEquals(
                List.of(0, 1, 2),
                r.trace().attempts().stream().map(a -> a.retryNumber()).toList());
    }

    @Test
    void exhaustedRetriesReturnTheLastAnswerWithCountMinusOne() {
        stub.setDefault(StubResponse.error(503, "down"));
        GatewayResponse r = gateway("{\"attempts\":2}").execute(chat());
        assertEquals(503, r.status());
        assertEquals(3, stub.hits());
        assertEquals("-1", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertEquals(3, r.trace().attempts().size());
    }

    @Test
    void noRetryConfiguredMeansCountZero() {
        stub.enqueue(StubResponse.error(503, "down"));
        GatewayResponse r = gateway("{\"attempts\":0}").execute(chat());
        assertEquals(503, r.status());
        assertEquals("0", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertEquals(1, stub.hits());
    }

    @Test
    void aStatusOutsideTheListIsNotRetried() {
        stub.enqueue(StubResponse.error(500, "boom"));
        GatewayResponse r =
                gateway("{\"attempts\":3,\"on_status_codes\":[429]}").execute(chat());
        assertEquals(500, r.status());
        assertEquals(1, stub.hits());
        assertTrue(sleeper.sleeps().isEmpty());
    }

    @Test
    void clientErrorsAreNeverRetriedEvenWhenListed() {
        for (int status : new int[] {400, 401, 403, 404, 422}) {
            stub.reset();
            stub.enqueue(StubResponse.error(status, "client error"));
            GatewayResponse r = gateway("{\"attempts\":3,\"on_status_codes\":[" + status + ",503]}")
                    .execute(chat());
            assertEquals(status, r.status());
            assertEquals(1, stub.hits(), "status " + status + " must not be retried");
        }
    }

    @Test
    void networkErrorsAreRetried() {
        stub.enqueue(StubResponse.resetConnection());
        GatewayResponse r =
                gateway("{\"attempts\":1,\"on_status_codes\":[429]}").execute(chat());
        assertEquals(200, r.status());
        assertEquals("network", r.trace().attempts().get(0).errorClass());
        assertEquals("1", r.header("x-portkey-retry-attempt-count").orElseThrow());
    }

    @Test
    void retryAfterSecondsIsHonouredWhenAskedWithEitherSpelling() {
        for (String spelling : new String[] {"use_retry_after_header", "use_retry_after_headers"}) {
            stub.reset();
            sleeper.reset();
            stub.enqueue(StubResponse.error(429, "slow").retryAfter("7"));
            GatewayResponse r =
                    gateway("{\"attempts\":1,\"" + spelling + "\":true}").execute(chat());
            assertEquals(200, r.status());
            assertEquals(List.of(Duration.ofSeconds(7)), sleeper.sleeps(), spelling);
        }
    }

    @Test
    void retryAfterMillisecondHeadersWinOverSeconds() {
        stub.enqueue(
                StubResponse.error(429, "slow").header("retry-after-ms", "1500").retryAfter("9"));
        stub.enqueue(StubResponse.error(503, "busy").header("x-ms-retry-after-ms", "250"));
        GatewayResponse r =
                gateway("{\"attempts\":2,\"use_retry_after_header\":true}").execute(chat());
        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofMillis(1500), Duration.ofMillis(250)), sleeper.sleeps());
    }

    @Test
    void retryAfterHttpDateIsReadRelativeToTheClock() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(12).atZone(ZoneOffset.UTC));
        stub.enqueue(StubResponse.error(429, "slow").retryAfter(date));
        GatewayResponse r =
                gateway("{\"attempts\":1,\"use_retry_after_header\":true}").execute(chat());
        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofSeconds(12)), sleeper.sleeps());
    }

    @Test
    void retryAfterIsIgnoredWhenNotAskedFor() {
        stub.enqueue(StubResponse.error(429, "slow").retryAfter("30"));
        gateway("{\"attempts\":1}").execute(chat());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeper.sleeps());
    }

    @Test
    void aRetryAfterBeyondSixtySecondsStopsRetryingAtOnce() {
        stub.enqueue(StubResponse.error(429, "come back tomorrow").retryAfter("3600"));
        GatewayResponse r =
                gateway("{\"attempts\":3,\"use_retry_after_header\":true}").execute(chat());
        assertEquals(429, r.status());
        assertEquals(1, stub.hits());
        assertEquals("-1", r.header("x-portkey-retry-attempt-count").orElseThrow());
        assertTrue(sleeper.sleeps().isEmpty());
    }

    @Test
    void totalWaitIsCappedAtSixtySeconds() {
        stub.setDefault(StubResponse.error(503, "down"));
        GatewayResponse r = gateway("{\"attempts\":10}").execute(chat());
        // 1+2+4+8+16 = 31 s; the next wait (32 s) would pass 60 s
        assertEquals(
                List.of(1L, 2L, 4L, 8L, 16L),
                sleeper.sleeps().stream().map(Duration::toSeconds).toList());
        assertEquals(6, stub.hits());
        assertEquals("-1", r.header("x-portkey-retry-attempt-count").orElseThrow());
    }

    @Test
    void backoffExtensionShapesTheWaits() {
        stub.setDefault(StubResponse.error(503, "down"));
        gateway("{\"attempts\":3,\"backoff\":{\"initial_ms\":100,\"multiplier\":3,\"max_ms\":500}}")
                .execute(chat());
        assertEquals(
                List.of(100L, 300L, 500L),
                sleeper.sleeps().stream().map(Duration::toMillis).toList());
    }

    @Test
    void retriesHappenPerLeafBeforeTheFallbackMovesOn() {
        StubUpstream other = StubUpstream.start();
        try {
            stub.setDefault(StubResponse.error(503, "down"));
            Gateway g = Gateway.builder()
                    .config("{\"retry\":{\"attempts\":1},\"strategy\":{\"mode\":\"fallback\"}," + "\"targets\":["
                            + RoutingTest.target(stub, "") + "," + RoutingTest.target(other, "") + "]}")
                    .clock(clock)
                    .sleeper(sleeper)
                    .build();
            GatewayResponse r = g.execute(chat());
            assertEquals(200, r.status());
            assertEquals(2, stub.hits());
            assertEquals(
                    "config.targets[1]",
                    r.header("x-portkey-last-used-option-index").orElseThrow());
        } finally {
            other.close();
        }
    }

    @Test
    void executeAsyncWaitsThroughTheInjectedSleeper() throws Exception {
        stub.enqueue(StubResponse.error(503, "busy"));
        GatewayResponse r = gateway("{\"attempts\":1}").executeAsync(chat()).get();
        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeper.sleeps());
        assertEquals(clock.instant(), ManualClock.start().instant().plusSeconds(1));
    }
}
